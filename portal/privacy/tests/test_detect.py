"""The detector, case by case: the forms personal data takes, and the look-alikes it is not."""

from __future__ import annotations

import pytest

from portal.privacy import detect
from portal.privacy.detect import Column, GroupSizes, mask, scan_table, scan_text
from portal.privacy.rules import Rules, default_document, from_document


@pytest.fixture(scope="module")
def rules() -> Rules:
    return from_document(default_document())


def found(rules: Rules, *columns: tuple[str, list[str]]) -> set[tuple[str, str]]:
    return {(finding.column, finding.category)
            for finding in scan_table([Column(name, values) for name, values in columns], rules)}


@pytest.mark.parametrize("number", ["0912345678", "0912 345 678", "0912.345.678", "091-234-5678",
                                    "+84 912 345 678", "+84912345678", "84912345678",
                                    "(+84) 912 345 678"])
def test_a_mobile_number_is_found_in_every_usual_form(rules: Rules, number: str) -> None:
    assert ("Liên lạc", "phone") in found(rules, ("Liên lạc", [number, number]))


def test_a_mobile_number_that_lost_its_leading_zero_is_found_only_in_a_phone_column(
        rules: Rules) -> None:
    assert ("Số điện thoại", "phone") in found(rules, ("Số điện thoại", ["912345678"]))
    assert found(rules, ("Số tiền", ["912345678", "987654321"])) == set()


def test_landlines_and_hotlines_are_not_mobile_numbers(rules: Rules) -> None:
    assert found(rules, ("Điện thoại", ["0229 3871 234", "1900 1234", "1022", "113"])) == set()


def test_a_citizen_id_needs_a_province_code_of_the_national_list(rules: Rules) -> None:
    assert ("Mã", "citizen_id") in found(rules, ("Mã", ["037085001234", "001190012345"]))
    # 125 and 999 are no province; 12-digit amounts of money start that way
    assert found(rules, ("Mã", ["125000000000", "999085001234"])) == set()


def test_a_citizen_id_of_a_province_merged_in_2025_is_still_found(rules: Rules) -> None:
    # 036 was Nam Định, merged into Ninh Bình: numbers issued there keep their code.
    assert ("CCCD", "citizen_id") in found(rules, ("CCCD", ["036185001234"]))


def test_a_citizen_id_must_give_a_birth_year_in_the_past(rules: Rules) -> None:
    # The fourth digit 3 means a woman born in the 2000s: 2099 has not come yet.
    assert found(rules, ("Thông tin", ["037399001234", "037399001235"])) == set()


def test_nine_digits_are_a_cmnd_number_only_in_a_column_named_so(rules: Rules) -> None:
    assert ("Số CMND", "identity_card") in found(rules, ("Số CMND", ["164123456"]))
    assert found(rules, ("Dân số", ["164123456", "123456789"])) == set()


def test_a_personal_tax_code_is_found_where_an_enterprise_code_is_not(rules: Rules) -> None:
    assert ("MST", "tax_code") in found(rules, ("MST", ["8012345678", "8012345678-001"]))
    assert found(rules, ("Mã số thuế", ["2700123456", "0101234567", "0312345678"])) == set()


def test_a_health_insurance_card_needs_a_known_beneficiary_code(rules: Rules) -> None:
    assert ("Thẻ", "health_insurance") in found(rules, ("Thẻ", ["DN4013712345678",
                                                              "HS 4 37 3712345678"]))
    assert found(rules, ("Thẻ", ["ZZ4013712345678", "QQ1013712345678"])) == set()


@pytest.mark.parametrize("plate", ["35A-123.45", "30E-12345", "29B1-234.56", "35A12345",
                                   "30E 123.45", "29-B1 234.56"])
def test_vehicle_plates_are_found_in_their_forms(rules: Rules, plate: str) -> None:
    assert ("Phương tiện", "vehicle_plate") in found(rules, ("Phương tiện", [plate]))


def test_statistical_table_and_document_codes_are_not_plates(rules: Rules) -> None:
    assert found(rules, ("Mã biểu", ["01/TKQG", "02A-TCTK", "B05-H", "123/QĐ-UBND"])) == set()


def test_column_names_match_with_or_without_diacritics_and_in_camel_case(rules: Rules) -> None:
    for name in ("Số điện thoại", "so_dien_thoai", "SoDienThoai", "SĐT", "sodienthoai"):
        assert (name, "phone") in found(rules, (name, ["912345678"])), name


def test_a_number_inside_free_text_is_found(rules: Rules) -> None:
    assert ("Nội dung", "phone") in found(rules, ("Nội dung", [
        "Tôi ở thôn 3, liên hệ 0912 345 678 giúp tôi", "Đèn đường hỏng", "Rác chưa thu gom"]))


def test_counts_codes_years_and_money_find_nothing(rules: Rules) -> None:
    assert found(rules,
                 ("Mã xã", ["14464", "14467", "14470"]), ("Dân số", ["31250", "18020", "45800"]),
                 ("Năm", ["2023", "2024", "2025"]), ("Ngày cập nhật", ["15/03/2026", "01/02/2026"]),
                 ("Số tiền", ["1.250.000.000", "125000000000", "84.912.345.678"])) == set()


def test_a_sensitive_column_counts_only_in_a_table_about_people(rules: Rules) -> None:
    assert found(rules, ("Tôn giáo", ["Phật giáo", "Công giáo"]),
                 ("Số tín đồ", ["1200", "800"])) == set()
    assert ("Tôn giáo", "religion") in found(
        rules, ("Họ tên", ["Nguyễn Văn An", "Trần Thị Bình"]),
        ("Tôn giáo", ["Phật giáo", "Không"]))


def test_a_name_beside_a_birth_date_is_a_finding_a_date_alone_is_not(rules: Rules) -> None:
    names = ("Họ và tên", ["Nguyễn Văn An", "TRẦN THỊ BÌNH", "Lê Hoa"])
    assert ("Họ và tên", "name_with_birth_date") in found(
        rules, names, ("Ngày sinh", ["12/03/1985", "1990-01-02", "5/6/1975"]))
    assert found(rules, names, ("Ngày cập nhật", ["12/03/2025", "02/01/2025", "5/6/2025"])) \
        == set()


def test_a_birth_date_in_the_future_is_no_birth_date(rules: Rules) -> None:
    assert found(rules, ("Họ tên", ["Nguyễn Văn An", "Lê Hoa"]),
                 ("Ngày sinh", ["12/03/2099", "01/01/2100"])) == set()


def test_small_groups_of_birth_date_commune_and_sex_warn_of_re_identification(
        rules: Rules) -> None:
    asked: list[tuple[list[str], int]] = []

    def sizes(columns: list[str], k: int) -> GroupSizes:
        asked.append((columns, k))
        return GroupSizes(rows=3, groups=3, small_groups=3, rows_in_small_groups=3, smallest=1)

    columns = [Column("Ngày sinh", ["12/03/1985", "01/02/1990", "05/06/1975"]),
               Column("Xã", ["Xã Gia Viễn", "Gia Hưng", "Phường Hoa Lư"]),
               Column("Giới tính", ["Nam", "Nữ", "Nam"])]
    findings = scan_table(columns, rules, group_sizes=sizes, min_group_size=7)
    risk = next(finding for finding in findings if finding.category == "reidentification")
    assert asked == [(["Ngày sinh", "Xã", "Giới tính"], 7)]
    assert risk.evidence == detect.GROUPS
    assert risk.detail["smallest"] == 1
    assert risk.detail["min_group_size"] == 7


def test_groups_at_least_k_rows_large_raise_no_warning(rules: Rules) -> None:
    columns = [Column("Năm sinh", ["1980"]), Column("Xã", ["Gia Viễn"]),
               Column("Giới tính", ["Nam"])]
    findings = scan_table(columns, rules, group_sizes=lambda columns, k: GroupSizes(
        rows=600, groups=12, small_groups=0, rows_in_small_groups=0, smallest=41))
    assert [finding.category for finding in findings] == []


def test_free_text_gives_each_category_once_with_masked_examples(rules: Rules) -> None:
    text = ("THÔNG BÁO\nBà Trần Thị Bình, sinh ngày 12/03/1985, CCCD số 037185001234.\n"
            "Liên hệ 0912.345.678 hoặc binh.tt@gmail.com; xe biển số 35A-123.45.\n"
            "Căn cứ Quyết định số 1049/QĐ-UBND ngày 12/03/2021; kinh phí 125.000.000.000 đồng;"
            " đường dây nóng 0229 3871 234; mã xã 14464.")
    findings = {finding.category: finding for finding in scan_text(text, rules)}
    assert set(findings) == {"name_with_birth_date", "citizen_id", "phone", "email",
                             "vehicle_plate"}
    assert findings["phone"].examples == ("0912***678",)
    assert findings["email"].examples == ("bi***@gmail.com",)
    assert (findings["citizen_id"].matches, findings["citizen_id"].sampled) == (1, 4)


def test_keywords_in_free_text_unlock_weak_patterns(rules: Rules) -> None:
    assert {finding.category for finding in scan_text(
        "Ông A, CMND số 164123456, mã số BHXH 3712345678, MST 8012345678", rules)} == {
        "identity_card", "social_insurance", "tax_code"}
    assert scan_text("Dân số 164123456 người, chỉ tiêu 3712345678 lượt", rules) == []


@pytest.mark.parametrize(("value", "masked"), [
    ("0912345678", "0912***678"), ("037085001234", "0370***234"),
    ("an.nguyen@gmail.com", "an***@gmail.com"), ("abc", "***")])
def test_examples_are_masked(value: str, masked: str) -> None:
    assert mask(value) == masked


def test_sensitive_findings_show_no_examples(rules: Rules) -> None:
    findings = scan_table([Column("Họ tên", ["Nguyễn Văn An"]),
                           Column("Chẩn đoán", ["Viêm gan B"])], rules)
    health = next(finding for finding in findings if finding.category == "health")
    assert health.examples == ()
