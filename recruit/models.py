"""Import every model so that Alembic and ``db.create_all`` see the whole schema."""

from recruit.auth.models import LoginAttempt, PendingRegistration, ThrottleBucket, User, UserSession  # noqa: F401
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
from recruit.statistics.models import (  # noqa: F401
    DestinationEvent,
    DestinationRecord,
    SampleItem,
    StatisticsReport,
    UniversityStaffing,
    VerificationSample,
)
from recruit.universities.models import College  # noqa: F401
from recruit.fairs.models import FairCheckin, FairInvitation, FairReport, FairRepresentative, FairSignup  # noqa: F401
from recruit.applications.models import Application, ApplicationEvent, Invitation, Resume  # noqa: F401
from recruit.core.audit import AuditEntry  # noqa: F401
from recruit.employers.models import Participation  # noqa: F401
from recruit.admin.models import OrganizerInvitation  # noqa: F401
from recruit.organizer.models import ImportJob  # noqa: F401,E402
