"""Demo datasets of the agencies for land, environment, construction and technology."""

from __future__ import annotations

from portal.demo.datasets import DatasetSpec, Link, M, by_ward, cats, places

FOREST = ("Xã Cúc Phương", "Xã Nho Quan", "Xã Phú Long", "Xã Quỳnh Lưu", "Xã Thanh Sơn",
          "Xã Gia Lâm", "Xã Gia Tường", "Xã Phú Sơn", "Phường Tam Điệp", "Phường Trung Sơn",
          "Phường Yên Sơn", "Phường Tam Chúc", "Phường Kim Bảng", "Xã Yên Mô")
COAST = ("Xã Giao Minh", "Xã Giao Ninh", "Xã Giao Phúc", "Xã Hải Thịnh", "Xã Hải Tiến",
         "Xã Hải An", "Xã Nghĩa Hưng", "Xã Rạng Đông", "Xã Kim Đông", "Xã Kim Sơn",
         "Xã Lai Thành", "Xã Định Hóa")
TOWNS = ("Phường Nam Định", "Phường Phủ Lý", "Phường Hoa Lư", "Phường Tam Điệp",
         "Phường Đồng Văn", "Phường Thiên Trường", "Phường Duy Tiên", "Phường Trường Thi")
EDITOR_CONTACT = "Phòng Chuyển đổi số – Sở Nông nghiệp và Môi trường"

SPECS = [
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "dien-tich-nang-suat-san-luong-lua",
        "Diện tích, năng suất, sản lượng lúa theo xã, phường",
        "Diện tích gieo cấy, năng suất và sản lượng lúa của từng xã, phường theo vụ: vụ Chiêm "
        "Xuân (6 tháng đầu năm) và vụ Mùa (6 tháng cuối năm).",
        ("lúa", "trồng trọt", "vụ chiêm xuân", "vụ mùa"), ("nong-nghiep",), "semiannual",
        by_ward(M("dien_tich_ha", "Diện tích gieo cấy (ha)", 60, 1_650, 1),
                M("nang_suat_ta_ha", "Năng suất (tạ/ha)", 56, 72, 1),
                M("san_luong_tan", "Sản lượng (tấn)", 350, 11_500)),
        formats=("csv", "xlsx"), periods=2, since=2025, contact=EDITOR_CONTACT,
        source="Hệ thống thông tin thống kê ngành nông nghiệp"),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "quan-trac-chat-luong-khong-khi",
        "Quan trắc chất lượng không khí tự động",
        "Giá trị trung bình ngày của chỉ số chất lượng không khí (VN_AQI) và các thông số bụi, "
        "khí tại các trạm quan trắc tự động, liên tục.",
        ("không khí", "quan trắc", "AQI", "bụi mịn PM2.5"), ("moi-truong",), "daily",
        cats(("Trạm Phủ Lý", "Trạm Nam Định", "Trạm Hoa Lư", "Trạm KCN Gián Khẩu",
              "Trạm Tam Điệp", "Trạm Đồng Văn"),
             M("vn_aqi", "Chỉ số VN_AQI trung bình ngày", 25, 165),
             M("pm2_5", "Bụi PM2.5 (µg/m³)", 8, 78, 1), M("pm10", "Bụi PM10 (µg/m³)", 15, 125, 1),
             M("no2", "NO₂ (µg/m³)", 5, 62, 1), column="tram", title="Trạm quan trắc"),
        formats=("csv",), periods=2, since=2025, licence="cc-by",
        source="Hệ thống quản lý dữ liệu quan trắc môi trường tự động tỉnh Ninh Bình",
        links=(Link("API số liệu quan trắc theo giờ",
                    "https://quantrac.ninhbinh.gov.vn/api/v1/khong-khi?chu-ky=gio", "api", "JSON",
                    "Số liệu cập nhật mỗi giờ, định dạng JSON."),)),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "chat-luong-nuoc-mat", "Chất lượng nước mặt các sông chính",
        "Kết quả quan trắc định kỳ chất lượng nước mặt tại các điểm trên sông Đáy, sông Hồng, "
        "sông Hoàng Long, sông Đào, sông Châu Giang, sông Ninh Cơ và sông Vạc.",
        ("nước mặt", "quan trắc", "sông"), ("moi-truong",), "quarterly",
        cats(("Sông Đáy – cầu Hồng Phú", "Sông Đáy – cầu Non Nước", "Sông Hoàng Long – cầu Gián "
              "Khẩu", "Sông Hồng – bến Tân Đệ", "Sông Đào – cầu Đò Quan", "Sông Châu Giang – "
              "cầu Châu Giang", "Sông Ninh Cơ – cầu Lạc Quần", "Sông Vạc – cầu Yên Mô"),
             M("ph", "pH", 6.5, 8.2, 2), M("do_mg_l", "Ôxy hòa tan DO (mg/l)", 3.5, 7.2, 2),
             M("bod5_mg_l", "BOD₅ (mg/l)", 2, 14, 1), M("cod_mg_l", "COD (mg/l)", 5, 30, 1),
             M("amoni_mg_l", "Amoni N-NH₄⁺ (mg/l)", 0.05, 1.2, 2),
             column="diem_quan_trac", title="Điểm quan trắc"),
        formats=("csv", "json"), periods=2, since=2025, contact=EDITOR_CONTACT),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "vung-nuoi-trong-thuy-san",
        "Vùng nuôi trồng thủy sản tập trung",
        "Ranh giới minh hoạ, diện tích và sản lượng các vùng nuôi trồng thủy sản tập trung ven "
        "biển.",
        ("thủy sản", "nuôi trồng", "ven biển"), ("nong-nghiep",), "annual",
        places(("Vùng nuôi ngao", "Vùng nuôi tôm thẻ chân trắng", "Vùng nuôi cua xanh"),
               M("dien_tich_ha", "Diện tích (ha)", 6, 220, 1),
               M("san_luong_tan", "Sản lượng năm (tấn)", 25, 1_800), per_kind=4, wards=COAST,
               polygons=True),
        formats=("geojson", "csv"), since=2025),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "hien-trang-rung", "Hiện trạng rừng và tỷ lệ che phủ",
        "Diện tích rừng tự nhiên, rừng trồng và tỷ lệ che phủ rừng tại các xã, phường có rừng.",
        ("rừng", "lâm nghiệp", "độ che phủ"), ("nong-nghiep", "moi-truong"), "annual",
        by_ward(M("rung_tu_nhien_ha", "Rừng tự nhiên (ha)", 0, 5_200, 1),
                M("rung_trong_ha", "Rừng trồng (ha)", 15, 1_400, 1),
                M("ty_le_che_phu_phan_tram", "Tỷ lệ che phủ rừng (%)", 4, 68, 1), wards=FOREST),
        formats=("xlsx", "csv"), periods=2, since=2025),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "bang-gia-dat", "Bảng giá đất theo xã, phường",
        "Giá đất ở tại vị trí 1 và giá đất trồng lúa bình quân theo bảng giá đất của tỉnh áp "
        "dụng từ ngày 01 tháng 01 hằng năm.",
        ("giá đất", "đất đai", "bảng giá đất"), ("dia-phuong",), "annual",
        by_ward(M("gia_dat_o_vi_tri_1_dong_m2", "Giá đất ở vị trí 1 (đồng/m²)",
                  1_500_000, 45_000_000),
                M("gia_dat_trong_lua_dong_m2", "Giá đất trồng lúa (đồng/m²)", 60_000, 180_000)),
        formats=("xlsx",), since=2025,
        source="Hệ thống thông tin đất đai quốc gia"),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "tiem-phong-gia-suc-gia-cam",
        "Kết quả tiêm phòng gia súc, gia cầm",
        "Số gia súc, gia cầm được tiêm phòng vắc xin lở mồm long móng, cúm gia cầm và dại theo "
        "xã, phường.",
        ("thú y", "tiêm phòng", "chăn nuôi"), ("nong-nghiep",), "quarterly",
        by_ward(M("lo_mom_long_mong_con", "Lở mồm long móng (con)", 80, 2_600),
                M("cum_gia_cam_nghin_con", "Cúm gia cầm (nghìn con)", 2, 95, 1),
                M("dai_cho_meo_con", "Dại chó, mèo (con)", 60, 1_900)),
        formats=("csv", "json"), periods=2, since=2025, contact=EDITOR_CONTACT),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "chat-thai-ran-sinh-hoat",
        "Thu gom, xử lý chất thải rắn sinh hoạt",
        "Khối lượng chất thải rắn sinh hoạt phát sinh, được thu gom và tỷ lệ thu gom theo xã, "
        "phường.",
        ("chất thải rắn", "rác thải", "vệ sinh môi trường"), ("moi-truong",), "quarterly",
        by_ward(M("phat_sinh_tan", "Khối lượng phát sinh (tấn)", 150, 4_200),
                M("thu_gom_tan", "Khối lượng thu gom (tấn)", 120, 4_000),
                M("ty_le_thu_gom_phan_tram", "Tỷ lệ thu gom (%)", 78, 100, 1)),
        formats=("csv", "xlsx"), since=2025),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "khi-tuong-thuy-van",
        "Lượng mưa, nhiệt độ và mực nước các trạm",
        "Số liệu quan trắc khí tượng, thủy văn trung bình ngày tại các trạm trên địa bàn tỉnh.",
        ("khí tượng", "thủy văn", "lượng mưa", "mực nước"), ("moi-truong",), "daily",
        cats(("Trạm Ninh Bình", "Trạm Nam Định", "Trạm Phủ Lý", "Trạm Văn Lý", "Trạm Cúc Phương",
              "Trạm Như Tân", "Trạm Bến Đế"),
             M("luong_mua_mm", "Lượng mưa ngày (mm)", 0, 85, 1),
             M("nhiet_do_c", "Nhiệt độ trung bình (°C)", 14, 33, 1),
             M("muc_nuoc_cm", "Mực nước trung bình (cm)", 40, 420),
             column="tram", title="Trạm khí tượng thủy văn"),
        formats=("csv", "json"), since=2025,
        source="Cơ sở dữ liệu khí tượng thủy văn quốc gia"),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "co-so-nguy-co-o-nhiem-can-kiem-tra",
        "Cơ sở có nguy cơ gây ô nhiễm môi trường cần kiểm tra (nội bộ)",
        "Danh sách nội bộ phục vụ kế hoạch kiểm tra: cơ sở sản xuất, làng nghề có nguy cơ gây ô "
        "nhiễm, lưu lượng nước thải ước tính và mức độ rủi ro. Chỉ cán bộ của Sở được xem.",
        ("ô nhiễm", "kiểm tra", "nước thải"), ("moi-truong",), "irregular",
        places(("Cơ sở chế biến nông sản", "Cơ sở sản xuất vật liệu xây dựng", "Làng nghề",
                "Trang trại chăn nuôi tập trung"),
               M("nuoc_thai_m3_ngay", "Lưu lượng nước thải ước tính (m³/ngày)", 5, 600),
               M("muc_do_rui_ro", "Mức độ rủi ro (1 thấp – 5 cao)", 1, 5), per_kind=5),
        formats=("csv", "xlsx"), since=2025, access="agency", contact=EDITOR_CONTACT),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "ke-hoach-su-dung-dat-cap-xa",
        "Kế hoạch sử dụng đất năm 2027 theo xã, phường (dự thảo)",
        "Dự thảo chỉ tiêu sử dụng đất năm 2027 phân bổ đến từng xã, phường, đang lấy ý kiến.",
        ("quy hoạch", "kế hoạch sử dụng đất", "đất đai"), ("dia-phuong",), "annual",
        by_ward(M("dat_nong_nghiep_ha", "Đất nông nghiệp (ha)", 300, 4_500, 1),
                M("dat_phi_nong_nghiep_ha", "Đất phi nông nghiệp (ha)", 150, 2_600, 1),
                M("dat_chua_su_dung_ha", "Đất chưa sử dụng (ha)", 0, 240, 1)),
        formats=("xlsx",), since=2027, period="2027", status="draft", contact=EDITOR_CONTACT),
    DatasetSpec(
        "so-nong-nghiep-moi-truong", "diem-sat-lo-bo-song-bo-bien", "Điểm sạt lở bờ sông, bờ biển",
        "Vị trí, chiều dài và mức độ nguy hiểm của các điểm sạt lở bờ sông, bờ biển đã được "
        "phát hiện, phục vụ phòng, chống thiên tai.",
        ("sạt lở", "phòng chống thiên tai", "bờ sông"), ("moi-truong", "dia-phuong"), "irregular",
        places(("Điểm sạt lở",), M("chieu_dai_m", "Chiều dài (m)", 20, 850),
               M("muc_do", "Mức độ (1 bình thường – 3 đặc biệt nguy hiểm)", 1, 3), per_kind=16),
        formats=("geojson", "csv"), since=2024, licence="cc-by"),
    DatasetSpec(
        "so-xay-dung", "giay-phep-xay-dung", "Giấy phép xây dựng đã cấp",
        "Số giấy phép xây dựng đã cấp theo xã, phường, trong đó nhà ở riêng lẻ, và tổng diện "
        "tích sàn được cấp phép.",
        ("giấy phép xây dựng", "nhà ở", "xây dựng"), ("co-so-ha-tang", "dia-phuong"), "monthly",
        by_ward(M("so_giay_phep", "Số giấy phép", 0, 65),
                M("nha_o_rieng_le", "Trong đó nhà ở riêng lẻ", 0, 60),
                M("dien_tich_san_m2", "Tổng diện tích sàn (m²)", 0, 24_000)),
        formats=("csv", "json"), periods=3, since=2025),
    DatasetSpec(
        "so-xay-dung", "tuyen-xe-buyt", "Tuyến xe buýt nội tỉnh",
        "Các tuyến xe buýt đang khai thác: cự ly, số chuyến mỗi ngày và giá vé tối đa.",
        ("xe buýt", "giao thông công cộng", "vận tải"), ("co-so-ha-tang",), "irregular",
        cats(("Tuyến 01: Ninh Bình – Phủ Lý", "Tuyến 02: Nam Định – Ninh Bình",
              "Tuyến 03: Ninh Bình – Kim Sơn", "Tuyến 04: Nam Định – Thịnh Long",
              "Tuyến 05: Phủ Lý – Đồng Văn", "Tuyến 06: Ninh Bình – Nho Quan",
              "Tuyến 07: Nam Định – Giao Thủy"),
             M("cu_ly_km", "Cự ly (km)", 18, 62, 1), M("so_chuyen_ngay", "Số chuyến/ngày", 12, 64),
             M("gia_ve_toi_da_nghin_dong", "Giá vé tối đa (nghìn đồng)", 12, 40),
             column="tuyen", title="Tuyến"),
        formats=("json", "csv"), since=2025, licence="odc-odbl"),
    DatasetSpec(
        "so-xay-dung", "cau-tren-duong-tinh", "Cầu trên các tuyến đường tỉnh",
        "Vị trí, chiều dài, tải trọng thiết kế và năm xây dựng của các cầu trên đường tỉnh.",
        ("cầu", "đường tỉnh", "giao thông"), ("co-so-ha-tang",), "annual",
        places(("Cầu",), M("chieu_dai_m", "Chiều dài (m)", 12, 480, 1),
               M("tai_trong_tan", "Tải trọng thiết kế (tấn)", 10, 40),
               M("nam_xay_dung", "Năm xây dựng", 1976, 2024), per_kind=32),
        formats=("geojson", "csv"), since=2025, licence="odc-odbl"),
    DatasetSpec(
        "so-xay-dung", "du-an-nha-o-xa-hoi", "Dự án nhà ở xã hội",
        "Tiến độ các dự án nhà ở xã hội: số căn hộ, số căn đã hoàn thành và tổng mức đầu tư.",
        ("nhà ở xã hội", "nhà ở", "dự án"), ("co-so-ha-tang",), "quarterly",
        places(("Dự án nhà ở xã hội",), M("so_can_ho", "Số căn hộ", 200, 1_800),
               M("da_hoan_thanh", "Số căn đã hoàn thành", 0, 900),
               M("tong_muc_dau_tu_ty_dong", "Tổng mức đầu tư (tỷ đồng)", 250, 2_400),
               wards=TOWNS),
        formats=("csv", "xlsx"), periods=2, since=2025),
    DatasetSpec(
        "so-xay-dung", "quy-hoach-chung-do-thi", "Đồ án quy hoạch chung đô thị (dự thảo)",
        "Danh sách đồ án quy hoạch chung các đô thị đang lập, điều chỉnh sau khi hợp nhất tỉnh.",
        ("quy hoạch", "đô thị"), ("dia-phuong",), "irregular",
        places(("Quy hoạch chung đô thị",), M("dien_tich_lap_quy_hoach_ha",
                                              "Diện tích lập quy hoạch (ha)", 800, 9_000),
               wards=TOWNS),
        formats=("csv",), since=2025, status="draft"),
    DatasetSpec(
        "so-khoa-hoc-cong-nghe", "nhiem-vu-khoa-hoc-cong-nghe",
        "Nhiệm vụ khoa học và công nghệ cấp tỉnh",
        "Số nhiệm vụ khoa học và công nghệ cấp tỉnh được phê duyệt, kinh phí và số nhiệm vụ đã "
        "nghiệm thu theo lĩnh vực nghiên cứu.",
        ("khoa học công nghệ", "đề tài", "nghiên cứu"), ("cong-nghe",), "annual",
        cats(("Khoa học nông nghiệp", "Khoa học y, dược", "Khoa học kỹ thuật và công nghệ",
              "Khoa học xã hội và nhân văn", "Khoa học tự nhiên"),
             M("so_nhiem_vu", "Số nhiệm vụ", 2, 18),
             M("kinh_phi_trieu_dong", "Kinh phí từ ngân sách (triệu đồng)", 800, 9_500),
             M("da_nghiem_thu", "Đã nghiệm thu", 0, 12),
             column="linh_vuc_nghien_cuu", title="Lĩnh vực nghiên cứu"),
        formats=("csv", "xlsx"), periods=2, since=2024),
    DatasetSpec(
        "so-khoa-hoc-cong-nghe", "chi-so-chuyen-doi-so-cap-xa", "Chỉ số chuyển đổi số cấp xã",
        "Kết quả đánh giá mức độ chuyển đổi số của các xã, phường theo ba trụ cột chính quyền "
        "số, kinh tế số và xã hội số.",
        ("chuyển đổi số", "DTI", "chính quyền số"), ("cong-nghe",), "annual",
        by_ward(M("chinh_quyen_so", "Điểm chính quyền số", 120, 330, 1),
                M("kinh_te_so", "Điểm kinh tế số", 60, 240, 1),
                M("xa_hoi_so", "Điểm xã hội số", 80, 260, 1)),
        formats=("csv", "xlsx", "json"), since=2025),
    DatasetSpec(
        "so-khoa-hoc-cong-nghe", "tram-thu-phat-song-di-dong",
        "Trạm thu phát sóng thông tin di động",
        "Vị trí các trạm thu phát sóng (BTS) đã được cấp phép, số doanh nghiệp dùng chung và "
        "công nghệ 5G.",
        ("BTS", "viễn thông", "5G", "hạ tầng số"), ("cong-nghe", "co-so-ha-tang"), "annual",
        places(("Trạm BTS",), M("so_doanh_nghiep_dung_chung", "Số doanh nghiệp dùng chung", 1, 3),
               M("co_5g", "Có phát sóng 5G (1 có, 0 không)", 0, 1), per_kind=80),
        formats=("geojson", "csv"), since=2025),
    DatasetSpec(
        "so-khoa-hoc-cong-nghe", "diem-wifi-cong-cong", "Điểm Wi-Fi công cộng miễn phí",
        "Các điểm truy cập Wi-Fi công cộng miễn phí tại trụ sở, nhà văn hóa và khu du lịch.",
        ("Wi-Fi", "Internet", "hạ tầng số"), ("cong-nghe",), "irregular",
        places(("Điểm Wi-Fi",), M("so_diem_phat", "Số điểm phát", 1, 12), per_kind=30),
        formats=("geojson", "json"), since=2025, licence="cc-zero"),
    DatasetSpec(
        "trung-tam-cntt-tt", "luot-truy-cap-he-thong-so", "Lượt truy cập các hệ thống số của tỉnh",
        "Số lượt truy cập, người dùng và thời gian truy cập trung bình của các hệ thống số dùng "
        "chung của tỉnh.",
        ("truy cập", "cổng thông tin", "hệ thống số"), ("cong-nghe",), "monthly",
        cats(("Cổng thông tin điện tử tỉnh", "Cổng dữ liệu mở", "Hệ thống thông tin giải quyết "
              "thủ tục hành chính", "Hệ thống quản lý văn bản và điều hành",
              "Hệ thống thư điện tử công vụ"),
             M("luot_truy_cap", "Lượt truy cập", 8_000, 950_000),
             M("nguoi_dung", "Người dùng", 1_500, 210_000),
             M("thoi_gian_tb_giay", "Thời gian truy cập trung bình (giây)", 40, 420),
             column="he_thong", title="Hệ thống"),
        formats=("csv",), periods=3, since=2025, licence="cc-zero",
        links=(Link("API CKAN của Cổng dữ liệu mở",
                    "https://data.ninhbinh.gov.vn/api/3/action/package_list", "api", "JSON",
                    "Danh sách bộ dữ liệu qua giao diện lập trình tương thích CKAN."),)),
    DatasetSpec(
        "trung-tam-cntt-tt", "danh-muc-du-lieu-mo-ke-hoach",
        "Kế hoạch công bố dữ liệu mở theo cơ quan",
        "Số bộ dữ liệu mở trong danh mục dữ liệu mở của tỉnh và số bộ đã công bố theo cơ quan.",
        ("dữ liệu mở", "danh mục dữ liệu", "kế hoạch"), ("cong-nghe",), "annual",
        cats(("Văn phòng UBND tỉnh", "Sở Tài chính", "Sở Nông nghiệp và Môi trường",
              "Sở Xây dựng", "Sở Công Thương", "Sở Y tế", "Sở Giáo dục và Đào tạo",
              "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Nội vụ"),
             M("so_bo_trong_danh_muc", "Số bộ dữ liệu trong danh mục", 4, 25),
             M("so_bo_da_cong_bo", "Số bộ đã công bố", 1, 20),
             column="co_quan", title="Cơ quan"),
        formats=("csv", "json"), since=2025, licence="cc-zero"),
    DatasetSpec(
        "so-thong-tin-truyen-thong", "thue-bao-vien-thong-2024",
        "Số thuê bao viễn thông, Internet năm 2024 (tỉnh Ninh Bình cũ)",
        "Số thuê bao điện thoại di động, Internet và truyền hình trả tiền trên địa bàn tỉnh Ninh "
        "Bình trước khi hợp nhất. Sở Thông tin và Truyền thông đã hợp nhất vào Sở Khoa học và "
        "Công nghệ; dữ liệu không còn được cập nhật.",
        ("viễn thông", "thuê bao", "Internet"), ("cong-nghe",), "never",
        cats(("Thuê bao di động", "Thuê bao di động băng rộng 4G/5G", "Thuê bao Internet cáp quang",
              "Thuê bao truyền hình trả tiền"),
             M("so_thue_bao", "Số thuê bao", 0.97, 1.03, scaled=True),
             M("so_voi_nam_truoc_phan_tram", "So với năm trước (%)", 98, 112, 1),
             column="loai_thue_bao", title="Loại thuê bao",
             scales=(1_050_000, 760_000, 310_000, 145_000)),
        formats=("csv", "xlsx"), since=2020, period="2024"),
]
