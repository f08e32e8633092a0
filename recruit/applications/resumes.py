"""Résumés: the text, the PDF (one upload store) and who may read them and see a graduate's contact.

The employer sees an applicant's name and contact only once the graduate applied to it or
accepted its invitation (or shares contact details); never key-group flags.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from recruit.applications.models import Application, Invitation, Resume
from recruit.applications.common import text as _
from recruit.auth.models import User
from recruit.core.errors import ServiceError
from recruit.core.scope import can_manage_university
from recruit.core.uploads import UploadStore
from recruit.employers.models import Posting
from recruit.extensions import db
from recruit.graduates.models import Graduate
from recruit.signals import intention_changed
from recruit.timeutil import utcnow
from recruit.validation import LIMITS, split_list

RESUME_TEXT_LIMIT = 3000


# ====================================================================== résumé
def resume_of(graduate: Graduate | None) -> Resume | None:
    if graduate is None:
        return None
    return db.session.scalar(sa.select(Resume).where(Resume.graduate_id == graduate.id))


def has_resume(graduate: Graduate | None) -> bool:
    return resume_of(graduate) is not None


def _text(data: dict, name: str, label: str, limit: int = RESUME_TEXT_LIMIT) -> str:
    value = (data.get(name) or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise ServiceError(_("%(label)s不能超过 %(limit)d 个字符。", label=label, limit=limit), name)
    return value


def save_resume(graduate: Graduate, data: dict) -> Resume:
    """Create or update the graduate's résumé in one transaction; the matching text follows it."""
    values = {
        "education": _text(data, "education", _("其他教育经历")),
        "internships": _text(data, "internships", _("实习经历")),
        "projects": _text(data, "projects", _("项目经历")),
        "certificates": _text(data, "certificates", _("证书")),
        "awards": _text(data, "awards", _("获奖")),
    }
    skills = "、".join(split_list((data.get("skills") or "").replace("\x00", "")))
    if len(skills) > LIMITS["skills"]:
        raise ServiceError(_("技能不能超过 %(limit)d 个字符。", limit=LIMITS["skills"]), "skills")
    resume = resume_of(graduate) or Resume(graduate_id=graduate.id)
    for name, value in values.items():
        setattr(resume, name, value)
    resume.skills = skills
    resume.updated_at = utcnow()
    db.session.add(resume)
    _matching_text_changed(graduate)
    db.session.commit()
    return resume


def _matching_text_changed(graduate: Graduate) -> None:
    """The résumé feeds the intention's matching record: tell the matching index."""
    db.session.flush()
    db.session.expire(graduate, ["resume"])
    if graduate.intention is not None:
        intention_changed.send(graduate.intention)


#: Résumé PDFs: ``<instance>/resumes/<graduate id>-<token>.pdf``, outside the web root.
RESUMES = UploadStore(None, "resumes", ("application/pdf",), "RESUME_PDF_MAX_BYTES", "pdf")


def pdf_limit() -> int:
    return RESUMES.max_bytes()


def upload_pdf(graduate: Graduate, data: bytes, filename: str) -> Resume:
    """Store the résumé PDF (replacing any earlier one). Checked by size and by content (``%PDF-``)."""
    stored = RESUMES.save(
        data,
        prefix=str(graduate.id),
        messages={
            "empty": _("请选择要上传的 PDF 文件。"),
            "too_large": _("PDF 文件不能超过 %(mb)d MB。", mb=pdf_limit() // (1024 * 1024) or 1),
            "wrong_type": _("只能上传 PDF 文件（文件内容不是 PDF）。"),
        },
    )
    resume = resume_of(graduate) or Resume(graduate_id=graduate.id)
    old = resume.pdf_path
    resume.pdf_path = stored.name
    resume.pdf_name = (os.path.basename((filename or "").replace("\\", "/")).replace("\x00", "") or "resume.pdf")[:200]
    resume.pdf_size = stored.size
    resume.pdf_uploaded_at = utcnow()
    resume.updated_at = utcnow()
    db.session.add(resume)
    with RESUMES.replacing(stored.name, old):
        db.session.commit()
    return resume


def delete_pdf(graduate: Graduate) -> None:
    resume = resume_of(graduate)
    if resume is None or not resume.pdf_path:
        raise ServiceError(_("您还没有上传 PDF 简历。"))
    old = resume.pdf_path
    resume.pdf_path = None
    resume.pdf_name = ""
    resume.pdf_size = 0
    resume.pdf_uploaded_at = None
    db.session.commit()
    RESUMES.delete(old)


def pdf_file(resume: Resume) -> Path | None:
    return RESUMES.path(resume.pdf_path) if resume is not None else None


def send_pdf(resume: Resume, download_name: str):
    """The résumé PDF as a download (never cached), or None when there is none."""
    return RESUMES.send(resume.pdf_path, "application/pdf", download_name) if resume is not None else None


def applied_to_employer(graduate_id: int, employer_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Application.id))
            .join(Posting, Posting.id == Application.posting_id)
            .where(Application.graduate_id == graduate_id, Posting.employer_id == employer_id)
        )
        > 0
    )


def accepted_invitation_from(graduate_id: int, employer_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Invitation.id)).where(
                Invitation.graduate_id == graduate_id,
                Invitation.employer_id == employer_id,
                Invitation.status == "accepted",
            )
        )
        > 0
    )


def can_view_resume(user, graduate: Graduate) -> bool:
    """The graduate, employers they applied to, and their own university's organizers (and admins)."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == "graduate":
        return user.graduate_id == graduate.id
    if user.role == "employer":
        return user.employer_id is not None and applied_to_employer(graduate.id, user.employer_id)
    return can_manage_university(user, graduate.university_id)


def contact_shared(graduate: Graduate, employer_id: int) -> bool:
    """May the employer see the graduate's name and contact details?"""
    return (
        graduate.share_contact
        or applied_to_employer(graduate.id, employer_id)
        or accepted_invitation_from(graduate.id, employer_id)
    )


def graduate_email(graduate: Graduate) -> str:
    user = db.session.scalar(sa.select(User).where(User.graduate_id == graduate.id).limit(1))
    return user.email if user else ""


def graduate_contact(graduate: Graduate) -> dict:
    return {"name": graduate.name, "phone": graduate.phone, "email": graduate.email or graduate_email(graduate)}
