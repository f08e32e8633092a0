"""Import every model so that Alembic and ``db.create_all`` see the whole schema."""
from recruit.auth.models import LoginAttempt, User  # noqa: F401
from recruit.compliance.models import HolidayDay, HolidayYear  # noqa: F401
from recruit.core.models import AppState  # noqa: F401
from recruit.employers.models import Employer, Posting  # noqa: F401
from recruit.fairs.models import Fair, FairRegistration, registration_postings  # noqa: F401
from recruit.graduates.models import (  # noqa: F401
    CaseNote,
    Graduate,
    Intention,
    SavedFair,
    SavedPosting,
    SchoolRecommendation,
)
from recruit.jobs.models import JobRun  # noqa: F401
from recruit.notifications.models import Notification  # noqa: F401
from recruit.universities.models import University, Venue  # noqa: F401
from recruit.organizer.models import ImportJob  # noqa: F401,E402
