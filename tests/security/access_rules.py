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
EXPECTED.update({
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
})
# matchmaking at work: graduates' intention/matches/saved, employers' postings (issue 5A)
EXPECTED.update({
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
})
# compliance (issue 3)
EXPECTED.update({
    "compliance.season_view": STAFF,
    "compliance.province": ADMIN,
    "compliance.export": ADMIN,
    "compliance.plan": STAFF,
    "compliance.apply_plan": STAFF,
})
# organizer (issue 5, part B): imports/exports, supply and demand, key-group case records
EXPECTED.update({
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
})
# trust-data (issue 12): background import jobs (only the uploader, or an admin, sees one)
EXPECTED.update({
    "organizer.import_job": STAFF,
})
