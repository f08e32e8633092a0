"""The importer and the forms agree on e-mail addresses: both ask recruit.core.emails (email_validator)."""

import pytest
from wtforms import Form, StringField

from recruit.forms import email
from recruit.organizer.import_checks import validate_graduate_row
from recruit.organizer.importers import GRADUATE_COLUMNS

from tests.organizer.test_organizer_import import G_HEADER, grow


class _EmailForm(Form):
    address = StringField(validators=[email()])


@pytest.mark.parametrize(
    "address, valid",
    [
        ("zs@example.com", True),
        ("Zhang.San+jobs@Edu.GZ.gov.cn", True),
        ("张三@大学.cn", True),
        ("a@b.c", True),
        ("not-an-email", False),
        ("a@@example.com", False),
        ("a b@example.com", False),
        ("a..b@example.com", False),
        (".a@example.com", False),
        ("a@localhost", False),
        ("a@recruit.test", False),
    ],
)
def test_importer_and_forms_agree(app, address, valid):
    index = {field: G_HEADER.index(header) for header, field in GRADUATE_COLUMNS}
    _values, errors = validate_graduate_row(grow(**{"邮箱": address}), index)
    importer_accepts = ("邮箱", "邮箱格式不正确") not in errors
    with app.test_request_context():
        form = _EmailForm(data={"address": address})
        form_accepts = form.validate()
    assert (importer_accepts, form_accepts) == (valid, valid)
