"""The access matrix: every endpoint of the app and who may use it.

Written by hand, independent of the ``@access`` declarations in the code, so the test
compares the two. A new route without an entry here fails the suite.

Values: ``PUBLIC`` (everyone, anonymous included), ``USERS`` (any logged-in role), or a
set of roles. Add an entry for every route you add.
"""

PUBLIC = "public"
USERS = frozenset({"admin", "organizer", "employer", "graduate"})
ADMIN = frozenset({"admin"})
STAFF = frozenset({"admin", "organizer"})
ORGANIZER = frozenset({"organizer"})
EMPLOYER = frozenset({"employer"})
GRADUATE = frozenset({"graduate"})

EXPECTED = {
    # main
    "main.index": PUBLIC,
    "main.dashboard": USERS,
    "main.healthz": PUBLIC,
    "main.majors_catalogue": PUBLIC,
    # auth
    "auth.login": PUBLIC,
    "auth.logout": USERS,
    "auth.register_employer": PUBLIC,
    "auth.register_graduate": PUBLIC,
    "auth.account": USERS,
    "auth.set_language": PUBLIC,
    # universities (public, notice §4)
    "universities.list_universities": PUBLIC,
    "universities.detail": PUBLIC,
    # employers
    "employers.manage": STAFF,
    "employers.decide": STAFF,
    # graduates
    "graduates.manage": STAFF,
    "graduates.confirm": STAFF,
    # notifications
    "notifications.index": USERS,
    "notifications.mark_read": USERS,
    "notifications.mark_all_read": USERS,
    # jobs
    "jobs.index": ADMIN,
    "jobs.trigger": ADMIN,
    # feeds (iCal)
    "feeds.province": PUBLIC,
    "feeds.university": PUBLIC,
    "feeds.university_kind": PUBLIC,
    "feeds.fair": PUBLIC,
    "feeds.private": PUBLIC,
    "feeds.regenerate_token": USERS,
}
# fairs (issue 3)
EXPECTED.update(
    {
        "fairs.list_fairs": PUBLIC,
        "fairs.detail": PUBLIC,
        "fairs.new": STAFF,
        "fairs.edit": STAFF,
        "fairs.publish": STAFF,
        "fairs.cancel": STAFF,
        "fairs.register": EMPLOYER,
        "fairs.decide_registration": STAFF,
        "fairs.withdraw_registration": EMPLOYER,
        "fairs.my_registrations": EMPLOYER,
    }
)
# matchmaking at work: graduates' intention/matches/saved, employers' postings (issue 5A)
EXPECTED.update(
    {
        "graduates.edit_intention": GRADUATE,
        "graduates.matches": GRADUATE,
        "graduates.save_posting": GRADUATE,
        "graduates.save_fair": GRADUATE,
        "graduates.saved": GRADUATE,
        "employers.my_postings": EMPLOYER,
        "employers.new_posting": EMPLOYER,
        "employers.edit_posting": EMPLOYER,
        "employers.close_posting": EMPLOYER,
        "employers.posting": EMPLOYER,
    }
)
# compliance (issue 3)
EXPECTED.update(
    {
        "compliance.season_view": STAFF,
        "compliance.province": ADMIN,
        "compliance.export": ADMIN,
        "compliance.plan": STAFF,
        "compliance.apply_plan": STAFF,
    }
)
# organizer (issue 5, part B): imports/exports, supply and demand, key-group case records
EXPECTED.update(
    {
        "organizer.imports": STAFF,
        "organizer.upload": STAFF,
        "organizer.template": STAFF,
        "organizer.export": STAFF,
        "organizer.supply_demand": STAFF,
        "organizer.supply_demand_export": STAFF,
        "organizer.key_group": STAFF,
        "organizer.key_group_detail": STAFF,
        "organizer.add_note": STAFF,
        "organizer.recommend": STAFF,
        "organizer.withdraw_recommendation": STAFF,
        "fairs.calendar": PUBLIC,
    }
)
# employment statistics (issue 19): destination records, reports, the province's view
EXPECTED.update(
    {
        "statistics.my_destination": GRADUATE,
        "statistics.evidence": frozenset({"graduate", "organizer", "admin"}),
        "statistics.records": STAFF,
        "statistics.graduate_record": STAFF,
        "statistics.advance": ORGANIZER,
        "statistics.return_record": ORGANIZER,
        "statistics.set_college": ORGANIZER,
        "statistics.colleges": STAFF,
        "statistics.staffing": ORGANIZER,
        "statistics.scope_organizer": ORGANIZER,
        "statistics.report_list": STAFF,
        "statistics.submit_report": ORGANIZER,
        "statistics.report": STAFF,
        "statistics.quality_report": STAFF,
        "statistics.province": ADMIN,
        "statistics.province_export": ADMIN,
        "statistics.university": STAFF,
        "statistics.draw_sample": ADMIN,
        "statistics.sample": ADMIN,
    }
)
# trust-identity (issue 12 items 1-4, issue 15 "Everyone")
EXPECTED.update(
    {
        "auth.end_session": USERS,
        "auth.end_all_sessions": USERS,
        "auth.forgot_password": PUBLIC,
        "auth.reset_password": PUBLIC,
        "auth.confirm_registration": PUBLIC,
        "graduates.activation": STAFF,
        "graduates.issue_codes": STAFF,
    }
)
# fair day (issue 17): check-in, passes, sign-ups, representatives, booths, post-fair reports
EXPECTED.update(
    {
        "fairday.checkin_page": STAFF,
        "fairday.checkin": STAFF,
        "fairday.scan": STAFF,
        "fairday.enter": frozenset({"employer", "graduate"}),
        "fairday.registration_pass": EMPLOYER,
        "fairday.confirm_attendance": EMPLOYER,
        "fairday.add_representative": EMPLOYER,
        "fairday.remove_representative": EMPLOYER,
        "fairday.signup_page": GRADUATE,
        "fairday.signup": GRADUATE,
        "fairday.signup_pass": GRADUATE,
        "fairday.cancel_signup": GRADUATE,
        "fairday.my_signups": GRADUATE,
        "fairday.manage": STAFF,
        "fairday.settings": STAFF,
        "fairday.rearrange_booths": STAFF,
        "fairday.booths": PUBLIC,
        "fairday.report": STAFF,
        "fairday.save_report": STAFF,
        "fairday.close_report": STAFF,
        "fairday.reports": STAFF,
        "fairday.export_reports": STAFF,
    }
)
# gap planner: drafts published in one click, invitations of matched employers (issue 17)
EXPECTED.update(
    {
        "compliance.publish_plan": STAFF,
        "compliance.invite_plan": STAFF,
    }
)
# the public job board and applications (issue 16)
EXPECTED.update(
    {
        "board.index": PUBLIC,
        "board.detail": PUBLIC,
        "applications.resume": GRADUATE,
        "applications.resume_upload": GRADUATE,
        "applications.resume_pdf_delete": GRADUATE,
        "applications.resume_view": USERS,
        "applications.resume_pdf": USERS,
        "applications.apply": GRADUATE,
        "applications.mine": GRADUATE,
        "applications.my_detail": GRADUATE,
        "applications.withdraw": GRADUATE,
        "applications.offer": GRADUATE,
        "applications.interview_calendar": GRADUATE,
        "applications.my_invitations": GRADUATE,
        "applications.respond": GRADUATE,
        "applications.pipeline": EMPLOYER,
        "applications.bulk": EMPLOYER,
        "applications.export": EMPLOYER,
        "applications.employer_detail": EMPLOYER,
        "applications.decide": EMPLOYER,
        "applications.invite": EMPLOYER,
        "applications.employer_invitations": EMPLOYER,
        "applications.outcomes": STAFF,
    }
)
# administration: province administrator and university set-up (issue 15)
EXPECTED.update(
    {
        "admin.index": ADMIN,
        "admin.school": ORGANIZER,
        "admin.universities": ADMIN,
        "admin.university_new": ADMIN,
        "admin.university": STAFF,
        "admin.university_edit": ADMIN,
        "admin.university_active": ADMIN,
        "admin.universities_import": ADMIN,
        "admin.universities_template": ADMIN,
        "admin.profile": STAFF,
        "admin.venues": STAFF,
        "admin.venue_new": STAFF,
        "admin.venue_edit": STAFF,
        "admin.venue_active": STAFF,
        "admin.venue_delete": STAFF,
        "admin.organizers": STAFF,
        "admin.revoke_invitation": STAFF,
        "admin.user_active": STAFF,
        "admin.accept_invitation": PUBLIC,
        "admin.policy": ADMIN,
        "admin.audit_log": ADMIN,
        # employers: identity (province), participation (each university), review, licences
        "employers.detail": STAFF,
        "employers.bulk_approve": STAFF,
        "employers.trust": STAFF,
        "employers.participation": ORGANIZER,
        "employers.licence": STAFF,
        "employers.reviews": STAFF,
        "employers.review": STAFF,
        "employers.my_licence": EMPLOYER,
    }
)
# trust-data (issue 12): background import jobs (only the uploader, or an admin, sees one)
EXPECTED.update(
    {
        "organizer.import_job": STAFF,
    }
)
