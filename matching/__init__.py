"""Chinese-aware TF-IDF matching of graduates' intentions and employers' postings.

This package never imports Flask: it is a library of its own.
"""
