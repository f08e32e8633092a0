"""The one upload store (recruit.core.uploads): every kind of document is checked, named and kept the same way."""

import pytest

from recruit.applications.resumes import RESUMES
from recruit.core.errors import ServiceError
from recruit.employers.licences import LICENCES
from recruit.statistics.services import EVIDENCE

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.mark.parametrize("store", [RESUMES, LICENCES, EVIDENCE], ids=["resumes", "licences", "evidence"])
def test_each_kind_is_stored_under_its_folder_with_a_generated_name(app, store):
    with app.test_request_context():
        stored = store.save(PDF, prefix="7")
        assert stored.name.startswith("7-") and stored.name.endswith(".pdf") and stored.size == len(PDF)
        assert store.path(stored.name) == store.directory() / stored.name
        assert store.path("../" + stored.name) is None and store.path("x.pdf") is None
        store.delete(stored.name)
        assert store.path(stored.name) is None


@pytest.mark.parametrize(
    "data, reason, status",
    [
        (b"", "empty", 400),
        (b"<html>", "wrong_type", 415),
        (b"%PDF-" + b"0" * 200, "too_large", 413),
    ],
)
def test_the_store_words_errors_as_the_kind_asks(app, data, reason, status):
    app.config["RESUME_PDF_MAX_BYTES"] = 100
    with app.test_request_context(), pytest.raises(ServiceError) as caught:
        RESUMES.save(data, messages={reason: f"kind says {reason}"})
    assert (caught.value.message, caught.value.field, caught.value.status) == (f"kind says {reason}", "pdf", status)
