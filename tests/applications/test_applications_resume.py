"""The résumé: saving, the PDF's rules (size, content, storage) and who may read it; it feeds matching."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from recruit.applications import services

from recruit.applications import resumes
from recruit.extensions import db
from recruit.matchmaking import services as matching
from recruit.matchmaking.index import intention_record

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, data: bytes, name: str = "cv.pdf"):
    return client.post("/me/resume/pdf", data={"pdf": (BytesIO(data), name)}, content_type="multipart/form-data")


def test_save_resume(client, auth, make_graduate, make_user):
    graduate = make_graduate()
    auth.login(make_user("graduate", graduate=graduate))
    assert client.get("/me/resume").status_code == 200
    response = client.post(
        "/me/resume", data={"skills": "Python，Go、 SQL", "projects": "推荐系统", "awards": "一等奖学金"}
    )
    assert response.status_code == 302
    resume = resumes.resume_of(graduate)
    assert resume.skills == "Python、Go、SQL" and resume.projects == "推荐系统"
    html = client.get(f"/resumes/{graduate.id}").get_data(as_text=True)
    assert "推荐系统" in html and "一等奖学金" in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("projects", "长" * 3001, "不能超过 3000 个字符"),
        ("skills", "长" * 501, "不能超过 500 个字符"),
        ("awards", "长" * 3001, "不能超过 3000 个字符"),
    ],
)
def test_resume_limits(client, auth, make_graduate, make_user, field, value, message):
    graduate = make_graduate()
    auth.login(make_user("graduate", graduate=graduate))
    response = client.post("/me/resume", data={field: value})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert resumes.resume_of(graduate) is None


def test_nul_bytes_are_dropped(client, auth, make_graduate, make_user):
    graduate = make_graduate()
    auth.login(make_user("graduate", graduate=graduate))
    assert client.post("/me/resume", data={"projects": "项目\x00一", "skills": "Java\x00"}).status_code == 400
    assert resumes.resume_of(graduate) is None  # refused app-wide (recruit.core.inputs): nothing written


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "cv.pdf", "请选择要上传的 PDF 文件"),
        (b"<html><script>alert(1)</script>", "cv.pdf", "文件内容不是 PDF"),
        (b"MZ\x90\x00", "cv.pdf", "文件内容不是 PDF"),
        (b"%PDF-" + b"0" * (6 * 1024 * 1024), "big.pdf", "PDF 文件不能超过 5 MB"),
    ],
)
def test_pdf_rules(client, auth, scene, data, name, message):
    auth.login(scene.graduate_user)
    response = _upload(client, data, name)
    assert response.status_code == 302
    assert message in client.get("/me/resume").get_data(as_text=True)
    assert resumes.resume_of(scene.graduate).pdf_path is None


def test_pdf_is_stored_outside_the_web_root_under_a_generated_name(app, client, auth, scene):
    auth.login(scene.graduate_user)
    _upload(client, PDF, "../../etc/passwd\x00.pdf")
    resume = resumes.resume_of(scene.graduate)
    path = resumes.pdf_file(resume)
    assert path is not None and path.read_bytes() == PDF
    assert Path(app.instance_path) in path.parents and Path(app.static_folder) not in path.parents
    assert "/" not in resume.pdf_name and ".." not in resume.pdf_path and "\x00" not in resume.pdf_name
    _upload(client, PDF + b"v2", "v2.pdf")  # a new upload replaces (and removes) the old file
    assert not path.exists()
    client.post("/me/resume/pdf/delete")
    db.session.refresh(resume)
    assert resume.pdf_path is None


def test_who_may_read_the_resume_and_its_pdf(client, auth, scene, make_user, make_posting):
    resumes.upload_pdf(scene.graduate, PDF, "cv.pdf")
    gid = scene.graduate.id
    urls = (f"/resumes/{gid}", f"/resumes/{gid}/pdf")
    other_employer = make_user("employer")
    other_organizer = make_user("organizer")
    other_graduate = make_user("graduate")
    admin = make_user("admin")

    def codes(user):
        auth.login(user)
        got = [client.get(u).status_code for u in urls]
        auth.logout()
        return got

    assert codes(scene.graduate_user) == [200, 200]
    assert codes(scene.organizer) == [200, 200]
    assert codes(admin) == [200, 200]
    assert codes(scene.employer_user) == [404, 404]  # has not applied (yet)
    assert codes(other_employer) == [404, 404]
    assert codes(other_organizer) == [404, 404]
    assert codes(other_graduate) == [404, 404]
    services.apply(scene.graduate, scene.posting, scene.graduate_user)
    assert codes(scene.employer_user) == [200, 200]
    assert codes(other_employer) == [404, 404]
    auth.login(scene.graduate_user)
    response = client.get(f"/resumes/{gid}/pdf")
    assert response.data == PDF and "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_anonymous_cannot_read_a_resume(client, scene):
    assert client.get(f"/resumes/{scene.graduate.id}/pdf").status_code == 302


def test_resume_feeds_the_matching_text(scene):
    resumes.save_resume(scene.graduate, {"skills": "Kubernetes", "projects": "容器编排平台"})
    db.session.expire_all()
    graduate = db.session.get(type(scene.graduate), scene.graduate.id)
    record = intention_record(graduate)
    assert "Kubernetes" in record.statement and "容器编排平台" in record.statement
    assert "想做后端开发" in record.statement  # the intention's own words stay first
    assert list(record.positions) == ["Java后端开发"]  # positions still steer


def test_resume_changes_the_match(scene, make_posting):
    k8s = make_posting(
        title="云平台运维工程师",
        description="负责Kubernetes集群和容器编排平台的运维。",
        majors=[],
        industry="大数据电子信息",
    )
    before = matching.match_for_postings(scene.graduate, [k8s.id]).get(k8s.id)
    resumes.save_resume(scene.graduate, {"skills": "Kubernetes、Docker", "projects": "Kubernetes容器编排平台运维"})
    db.session.expire_all()
    graduate = db.session.get(type(scene.graduate), scene.graduate.id)
    after = matching.match_for_postings(graduate, [k8s.id]).get(k8s.id)
    assert after is not None and (before is None or after.score > before.score)
