"""Administration: the province administrator's and the university organizers' set-up pages."""
