"""The demo's agencies: the new Ninh Bình (Hà Nam, Nam Định and Ninh Bình merged on 1 July 2025),
its departments as reorganised in 2025, a few commune/ward People's Committees with the names
of the `vietnam-provinces` package, and one department that ceased in the reorganisation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.utils.text import slugify

from portal.agencies.models import Agency, AgencyKind, Sector
from portal.demo import people
from portal.demo.tables import wards_of
from portal.lib.text import fold

PROVINCE_CODE = 37  # the demo is of Ninh Bình
NEW_PROVINCE = date(2025, 7, 1)
SUPERVISOR = "so-khoa-hoc-cong-nghe"
OPERATOR = "trung-tam-cntt-tt"
CEASED = "so-thong-tin-truyen-thong"
CEASED_ON = date(2025, 2, 28)
COMMUNES = ("Phường Hoa Lư", "Phường Tây Hoa Lư", "Phường Nam Định", "Phường Phủ Lý",
            "Xã Kim Sơn")

D, OTHER = AgencyKind.DEPARTMENT, AgencyKind.OTHER


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    short_name: str
    name_en: str
    code: str  # for e-mail addresses
    kind: str
    sectors: tuple[str, ...]
    description: str
    parent: str = ""


PROVINCIAL = (
    AgencySpec("van-phong-ubnd-tinh", "Văn phòng Ủy ban nhân dân tỉnh Ninh Bình", "VP UBND tỉnh",
               "Office of the Provincial People's Committee", "vpubnd", D,
               ("dia-phuong", "xa-hoi", "kinh-te-thuong-mai"),
               "Cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu tổng hợp và giúp Ủy ban "
               "nhân dân tỉnh tổ chức hoạt động chung, chỉ đạo, điều hành; quản lý Trung tâm Phục "
               "vụ hành chính công tỉnh."),
    AgencySpec("so-tai-chinh", "Sở Tài chính tỉnh Ninh Bình", "Sở Tài chính",
               "Department of Finance", "stc", D,
               ("tai-chinh", "kinh-te-thuong-mai", "co-so-ha-tang"),
               "Tổ chức lại năm 2025 trên cơ sở hợp nhất Sở Tài chính và Sở Kế hoạch và Đầu tư; "
               "tham mưu về ngân sách nhà nước, giá, đầu tư công, xúc tiến đầu tư và đăng ký "
               "doanh nghiệp."),
    AgencySpec("so-nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
               "Sở NN&MT", "Department of Agriculture and Environment", "snnmt", D,
               ("nong-nghiep", "moi-truong", "dia-phuong"),
               "Thành lập năm 2025 trên cơ sở hợp nhất Sở Nông nghiệp và Phát triển nông thôn và "
               "Sở Tài nguyên và Môi trường; quản lý nông nghiệp, lâm nghiệp, thủy sản, thủy lợi, "
               "đất đai, tài nguyên nước, khoáng sản, môi trường, khí tượng thủy văn và phòng, "
               "chống thiên tai."),
    AgencySpec("so-xay-dung", "Sở Xây dựng tỉnh Ninh Bình", "Sở Xây dựng",
               "Department of Construction", "sxd", D, ("co-so-ha-tang", "dia-phuong"),
               "Tổ chức lại năm 2025 trên cơ sở hợp nhất Sở Xây dựng và Sở Giao thông vận tải; "
               "quản lý quy hoạch, xây dựng, nhà ở, hạ tầng kỹ thuật và giao thông vận tải."),
    AgencySpec("so-cong-thuong", "Sở Công Thương tỉnh Ninh Bình", "Sở Công Thương",
               "Department of Industry and Trade", "sct", D,
               ("kinh-te-thuong-mai", "nang-luong"),
               "Quản lý công nghiệp, thương mại, năng lượng, xuất nhập khẩu và quản lý thị trường "
               "trên địa bàn tỉnh."),
    AgencySpec("so-y-te", "Sở Y tế tỉnh Ninh Bình", "Sở Y tế", "Department of Health", "syt", D,
               ("y-te", "xa-hoi"),
               "Quản lý y tế dự phòng, khám bệnh, chữa bệnh, dược, an toàn thực phẩm, dân số; "
               "từ năm 2025 tiếp nhận bảo trợ xã hội, trẻ em và phòng, chống tệ nạn xã hội."),
    AgencySpec("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo tỉnh Ninh Bình", "Sở GD&ĐT",
               "Department of Education and Training", "sgddt", D, ("giao-duc", "lao-dong"),
               "Quản lý giáo dục mầm non, phổ thông, thường xuyên; từ năm 2025 tiếp nhận giáo dục "
               "nghề nghiệp."),
    AgencySpec("so-van-hoa-the-thao-du-lich", "Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình",
               "Sở VHTTDL", "Department of Culture, Sports and Tourism", "svhttdl", D,
               ("xa-hoi", "kinh-te-thuong-mai"),
               "Quản lý văn hóa, di sản, gia đình, thể dục thể thao, du lịch; từ năm 2025 tiếp "
               "nhận báo chí, xuất bản và thông tin cơ sở."),
    AgencySpec(SUPERVISOR, "Sở Khoa học và Công nghệ tỉnh Ninh Bình", "Sở KH&CN",
               "Department of Science and Technology", "skhcn", D,
               ("cong-nghe", "co-so-ha-tang"),
               "Tổ chức lại năm 2025 trên cơ sở hợp nhất Sở Khoa học và Công nghệ và Sở Thông tin "
               "và Truyền thông; quản lý khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, bưu "
               "chính, viễn thông. Cơ quan đầu mối về dữ liệu mở của tỉnh: giám sát việc công bố "
               "dữ liệu mở của các cơ quan."),
    AgencySpec("so-noi-vu", "Sở Nội vụ tỉnh Ninh Bình", "Sở Nội vụ",
               "Department of Home Affairs", "snv", D, ("lao-dong", "xa-hoi", "dia-phuong"),
               "Tổ chức lại năm 2025 trên cơ sở hợp nhất Sở Nội vụ và Sở Lao động – Thương binh "
               "và Xã hội; quản lý tổ chức bộ máy, công chức, viên chức, chính quyền địa phương, "
               "lao động, việc làm, người có công, thi đua khen thưởng và văn thư, lưu trữ."),
    AgencySpec("so-tu-phap", "Sở Tư pháp tỉnh Ninh Bình", "Sở Tư pháp",
               "Department of Justice", "stp", D, ("xa-hoi", "dia-phuong"),
               "Quản lý văn bản quy phạm pháp luật, hộ tịch, lý lịch tư pháp, bổ trợ tư pháp và "
               "phổ biến, giáo dục pháp luật."),
    AgencySpec("thanh-tra-tinh", "Thanh tra tỉnh Ninh Bình", "Thanh tra tỉnh",
               "Provincial Inspectorate", "ttt", D, ("xa-hoi", "dia-phuong"),
               "Thanh tra, tiếp công dân, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng; "
               "từ năm 2025 thống nhất đầu mối thanh tra trên địa bàn tỉnh."),
    AgencySpec("so-dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo tỉnh Ninh Bình",
               "Sở Dân tộc và Tôn giáo", "Department of Ethnic Minorities and Religions",
               "sdttg", D, ("xa-hoi", "dia-phuong"),
               "Thành lập năm 2025; quản lý công tác dân tộc, tín ngưỡng và tôn giáo."),
    AgencySpec("ban-quan-ly-cac-khu-cong-nghiep", "Ban Quản lý các khu công nghiệp tỉnh Ninh Bình",
               "BQL các KCN", "Industrial Zones Authority", "bqlkcn", OTHER,
               ("kinh-te-thuong-mai", "lao-dong", "co-so-ha-tang"),
               "Cơ quan trực thuộc Ủy ban nhân dân tỉnh, quản lý nhà nước trực tiếp đối với các "
               "khu công nghiệp trên địa bàn tỉnh."),
    AgencySpec(OPERATOR, "Trung tâm Công nghệ thông tin và Truyền thông tỉnh Ninh Bình",
               "Trung tâm CNTT&TT", "Information and Communication Technology Centre", "ttcntt",
               OTHER, ("cong-nghe",),
               "Đơn vị sự nghiệp trực thuộc Sở Khoa học và Công nghệ; vận hành Trung tâm dữ liệu "
               "tỉnh, nền tảng tích hợp, chia sẻ dữ liệu và Cổng dữ liệu mở (đơn vị vận hành).",
               parent=SUPERVISOR),
    AgencySpec("thong-ke-tinh", "Thống kê tỉnh Ninh Bình", "Thống kê tỉnh",
               "Provincial Statistics Office", "tk", OTHER,
               ("kinh-te-thuong-mai", "lao-dong", "xa-hoi", "nong-nghiep", "dia-phuong"),
               "Cơ quan thống kê của Cục Thống kê (Bộ Tài chính) đặt tại tỉnh; thu thập, tổng hợp "
               "và công bố số liệu thống kê kinh tế – xã hội của tỉnh."),
    AgencySpec("cong-an-tinh", "Công an tỉnh Ninh Bình", "Công an tỉnh",
               "Provincial Police", "ca", OTHER, ("xa-hoi", "dia-phuong"),
               "Bảo đảm an ninh, trật tự, an toàn giao thông; quản lý cư trú, căn cước và Cơ sở "
               "dữ liệu quốc gia về dân cư trên địa bàn tỉnh."),
    AgencySpec("thue-tinh", "Thuế tỉnh Ninh Bình", "Thuế tỉnh", "Provincial Tax Office", "thue",
               OTHER, ("tai-chinh", "kinh-te-thuong-mai"),
               "Cơ quan thuế của Cục Thuế (Bộ Tài chính) đặt tại tỉnh; quản lý thu thuế, phí, lệ "
               "phí và các khoản thu khác của ngân sách nhà nước trên địa bàn."),
)

CEASED_SPEC = AgencySpec(
    CEASED, "Sở Thông tin và Truyền thông tỉnh Ninh Bình", "Sở TT&TT",
    "Department of Information and Communications (until 2025)", "stttt", D,
    ("cong-nghe", "xa-hoi"),
    "Đã hợp nhất vào Sở Khoa học và Công nghệ từ ngày 01/3/2025. Các bộ dữ liệu sở đã công bố "
    "được giữ lại để tra cứu.",
)


def _focal_point(spec_kind: str, code: str, rng: random.Random) -> dict[str, str]:
    who = people.person(rng)
    return {
        "focal_name": who.full_name,
        "focal_position": people.position(rng, spec_kind),
        "focal_phone": people.phone(rng),
        "focal_email": people.email(who, code),
    }


def _create(spec: AgencySpec, sectors: dict[str, Sector], rng: random.Random,
            **extra: object) -> Agency:
    agency = Agency.objects.create(
        slug=spec.slug, name=spec.name, short_name=spec.short_name, name_en=spec.name_en,
        kind=spec.kind, description=spec.description, **_focal_point(spec.kind, spec.code, rng),
        **extra,
    )
    agency.sectors.set([sectors[code] for code in spec.sectors])
    return agency


def commune_specs() -> list[tuple[AgencySpec, str]]:
    """A few communes and wards, with current names; (spec, administrative unit code)."""
    chosen = wards_of(COMMUNES) or wards_of()[:4]
    specs = []
    for code, ward in chosen:
        level, name = ward.split(" ", 1)
        level = level.lower()
        english = f"{fold(name).title()} {'Ward' if level == 'phường' else 'Commune'}"
        sectors = ("dia-phuong", "xa-hoi") + (("nong-nghiep",) if level == "xã" else ())
        specs.append((AgencySpec(
            slugify(f"ubnd {fold(ward)}"), f"Ủy ban nhân dân {level} {name}",
            f"UBND {level} {name}", f"People's Committee of {english}",
            slugify(fold(ward)).replace("-", ""), AgencyKind.COMMUNE, sectors,
            f"Chính quyền địa phương cấp xã, thành lập ngày 01/7/2025 khi sắp xếp đơn vị hành "
            f"chính; mã đơn vị hành chính {code}.",
        ), code))
    return specs


def create_agencies(rng: random.Random) -> tuple[dict[str, Agency], dict[str, str]]:
    """All agencies by slug, and the administrative unit code of each commune agency.

    The ceased department is created still active: it publishes its dataset first and is
    closed afterwards (`close_ceased_agency`), as happened in the reorganisation.
    """
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    agencies: dict[str, Agency] = {}
    for spec in PROVINCIAL:
        parent = agencies.get(spec.parent)
        agencies[spec.slug] = _create(spec, sectors, rng, valid_from=NEW_PROVINCE, parent=parent,
                                      is_supervisor=spec.slug == SUPERVISOR)
    unit_codes = {}
    for spec, code in commune_specs():
        agencies[spec.slug] = _create(spec, sectors, rng, valid_from=NEW_PROVINCE)
        unit_codes[spec.slug] = code
    agencies[CEASED] = _create(CEASED_SPEC, sectors, rng)
    return agencies, unit_codes


def close_ceased_agency(agencies: dict[str, Agency]) -> None:
    ceased = agencies[CEASED]
    ceased.valid_to = CEASED_ON
    ceased.replaced_by = agencies[SUPERVISOR]
    ceased.save(update_fields=["valid_to", "replaced_by", "modified"])
