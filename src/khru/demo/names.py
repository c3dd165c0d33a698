"""Name lists for the demo: (Thai, English) pairs, so a transliteration can never drift from its name.

All names are common Thai given names and surnames; the people built from them are fictional.
English spellings follow the Royal Thai General System, as on most Thai school and ID documents.
"""

Name = tuple[str, str]

# Given names popular for children born 2005–2023.
BOYS: list[Name] = [
    ("ณัฐพล", "Nattaphon"), ("ธนกร", "Thanakon"), ("กิตติศักดิ์", "Kittisak"), ("ธนวัฒน์", "Thanawat"),
    ("ภูมิพัฒน์", "Phumiphat"), ("ปัณณวัฒน์", "Pannawat"), ("ณัฐวุฒิ", "Nattawut"), ("พีรพัฒน์", "Phiraphat"),
    ("ศุภกร", "Suphakon"), ("กฤษณะ", "Kritsana"), ("ธีรภัทร", "Thiraphat"), ("ภาคิน", "Phakhin"),
    ("ปวริศ", "Pawarit"), ("ธนภัทร", "Thanaphat"), ("กันตพงศ์", "Kantaphong"), ("ชยพล", "Chayaphon"),
    ("ณภัทร", "Naphat"), ("จิรายุ", "Chirayu"), ("วรเมธ", "Worameth"), ("รัชชานนท์", "Ratchanon"),
    ("ภัทรพล", "Phatthraphon"), ("อชิตพล", "Achitphon"), ("ธนดล", "Thanadon"), ("ปุณณวิช", "Punnawit"),
    ("ธีรเดช", "Thiradet"), ("กฤตภาส", "Krittaphat"), ("ศิวกร", "Siwakon"), ("พงศกร", "Phongsakon"),
    ("อภิวัฒน์", "Aphiwat"), ("สิรวิชญ์", "Sirawit"), ("ณัฐกิตติ์", "Nattakit"), ("ธนาธิป", "Thanathip"),
    ("ชนาธิป", "Chanathip"), ("ภูริณัฐ", "Phurinat"), ("รัฐภูมิ", "Rattaphum"), ("ธันวา", "Thanwa"),
    ("ศักดิ์สิทธิ์", "Saksit"), ("วีรภัทร", "Wiraphat"), ("ปกรณ์", "Pakon"), ("ณัฐนนท์", "Nattanon"),
    ("กิตติพัฒน์", "Kittiphat"), ("ก้องภพ", "Kongphop"), ("ธีรวัฒน์", "Thirawat"), ("จิรพัฒน์", "Chiraphat"),
    ("ภานุวัฒน์", "Phanuwat"), ("อนุชา", "Anucha"), ("ชินกร", "Chinnakon"), ("พชร", "Phachara"),
    ("เตชินท์", "Techin"), ("กวินท์", "Kawin"), ("ภูบดี", "Phubodi"), ("นนทพัทธ์", "Nonthaphat"),
    ("ปิยพงษ์", "Piyaphong"), ("ณัฐดนัย", "Natdanai"), ("ภัคพล", "Phakkhaphon"), ("ธราเทพ", "Tharathep"),
    ("กฤติน", "Krittin"), ("สุรเชษฐ์", "Surachet"), ("วชิรวิทย์", "Wachirawit"), ("ทินภัทร", "Thinnaphat"),
    ("ภูวเดช", "Phuwadet"), ("คุณานนต์", "Khunanon"), ("อัครพล", "Akkharaphon"), ("เจษฎา", "Chetsada"),
    ("ปริญญา", "Parinya"), ("รณกร", "Ronnakon"), ("ธีธัช", "Thithat"), ("ตะวัน", "Tawan"),
]  # fmt: skip

GIRLS: list[Name] = [
    ("พิมพ์ชนก", "Phimchanok"), ("ณัฐธิดา", "Natthida"), ("ปุณยวีร์", "Punyawi"), ("ชนิดา", "Chanida"),
    ("กัญญาณัฐ", "Kanyanat"), ("ธัญชนก", "Thanchanok"), ("ปาณิสรา", "Panisara"), ("ณัฐณิชา", "Natnicha"),
    ("สุพิชญา", "Suphitchaya"), ("พิชชาพร", "Phitchaphon"), ("ศิรินภา", "Sirinapha"), ("ภัทรวดี", "Phatthrawadi"),
    ("กมลชนก", "Kamonchanok"), ("อรปรียา", "Onpriya"), ("ชญานิศ", "Chayanit"), ("ปภาวรินทร์", "Paphawarin"),
    ("ธนพร", "Thanaphon"), ("วรรณิดา", "Wannida"), ("เบญญาภา", "Benyapha"), ("ณิชาภัทร", "Nichaphat"),
    ("จิราพร", "Chiraphon"), ("สุชานันท์", "Suchanan"), ("ปริยากร", "Pariyakon"), ("อริสา", "Arisa"),
    ("ชลธิชา", "Chonthicha"), ("นภัสสร", "Naphatson"), ("ปวีณ์ธิดา", "Pawithida"), ("พัชรพร", "Phatcharaphon"),
    ("ภัคจิรา", "Phakchira"), ("กานต์ธิดา", "Kanthida"), ("ศศิกานต์", "Sasikan"), ("มณีรัตน์", "Manirat"),
    ("ธัญญาเรศ", "Thanyaret"), ("กชกร", "Kotchakon"), ("ขวัญข้าว", "Khwankhao"), ("ณัฏฐณิชา", "Natthanicha"),
    ("ปัณฑารีย์", "Panthari"), ("รมิตา", "Ramita"), ("วริศรา", "Warisara"), ("อภิชญา", "Aphitchaya"),
    ("ชาลิสา", "Chalisa"), ("ธมลวรรณ", "Thamonwan"), ("ณัฐชยา", "Natchaya"), ("ศุภิสรา", "Suphisara"),
    ("บุณยาพร", "Bunyaphon"), ("เขมิกา", "Khemika"), ("พิมพ์มาดา", "Phimmada"), ("นันท์นภัส", "Nannaphat"),
    ("ปิยธิดา", "Piyathida"), ("กัลยรัตน์", "Kanlayarat"), ("ทิพวรรณ", "Thippawan"), ("ลลิตา", "Lalita"),
    ("วิมลรัตน์", "Wimonrat"), ("สิรินดา", "Sirinda"), ("อัญชิสา", "Anchisa"), ("ภิญญดา", "Phinyada"),
    ("มนัสนันท์", "Manatsanan"), ("จิดาภา", "Chidapha"), ("ณัฐวรา", "Nattawara"), ("ปรียาภัทร", "Priyaphat"),
    ("เพียงขวัญ", "Phiangkhwan"), ("รินรดา", "Rinrada"), ("ใบเตย", "Baitoei"), ("ญาดา", "Yada"),
]  # fmt: skip

# Given names of parents' and grandparents' generations (born 1945–2000), also used for staff.
MEN: list[Name] = [
    ("สมชาย", "Somchai"), ("สมศักดิ์", "Somsak"), ("วิชัย", "Wichai"), ("ประเสริฐ", "Prasoet"),
    ("สุนทร", "Sunthon"), ("อนันต์", "Anan"), ("ชัยวัฒน์", "Chaiwat"), ("ธีระ", "Thira"),
    ("สุรชัย", "Surachai"), ("พิชิต", "Phichit"), ("วีระพงษ์", "Wiraphong"), ("ณรงค์", "Narong"),
    ("สมพงษ์", "Somphong"), ("อำนาจ", "Amnat"), ("ชาญวิทย์", "Chanwit"), ("เกียรติศักดิ์", "Kiattisak"),
    ("ธนพล", "Thanaphon"), ("วรวุฒิ", "Worawut"), ("จักรพันธ์", "Chakkraphan"), ("ปิยะ", "Piya"),
    ("สุทธิพงษ์", "Sutthiphong"), ("อดิศักดิ์", "Adisak"), ("ศักดิ์ชัย", "Sakchai"), ("ไพโรจน์", "Phairot"),
    ("บุญเลิศ", "Bunloet"), ("สมบัติ", "Sombat"), ("เอกชัย", "Ekkachai"), ("ศุภชัย", "Suphachai"),
    ("นพดล", "Nopphadon"), ("ธวัชชัย", "Thawatchai"), ("กิตติพงษ์", "Kittiphong"), ("วิทยา", "Witthaya"),
    ("สุเมธ", "Sumet"), ("ยุทธนา", "Yutthana"), ("ประพันธ์", "Praphan"), ("มานพ", "Manop"),
    ("สุวิทย์", "Suwit"), ("อภิชาติ", "Aphichat"), ("จำนงค์", "Chamnong"), ("สมหมาย", "Sommai"),
]  # fmt: skip

WOMEN: list[Name] = [
    ("สมศรี", "Somsi"), ("มาลี", "Mali"), ("วันเพ็ญ", "Wanphen"), ("สุภาพร", "Suphaphon"),
    ("กาญจนา", "Kanchana"), ("นงลักษณ์", "Nonglak"), ("พรทิพย์", "Phonthip"), ("อรุณี", "Aruni"),
    ("สุนีย์", "Suni"), ("จันทร์เพ็ญ", "Chanphen"), ("รัตนา", "Rattana"), ("ศิริพร", "Siriphon"),
    ("วิไลวรรณ", "Wilaiwan"), ("ปราณี", "Prani"), ("อัญชลี", "Anchali"), ("ดวงใจ", "Duangchai"),
    ("ยุพิน", "Yuphin"), ("สุดารัตน์", "Sudarat"), ("จิราภรณ์", "Chiraphon"), ("ปิยะนุช", "Piyanut"),
    ("กนกวรรณ", "Kanokwan"), ("วราภรณ์", "Waraphon"), ("นิตยา", "Nittaya"), ("บุษบา", "Butsaba"),
    ("พัชรี", "Phatchari"), ("ศศิธร", "Sasithon"), ("อรทัย", "Onthai"), ("มยุรี", "Mayuri"),
    ("เพ็ญศรี", "Phensi"), ("ทัศนีย์", "Thatsani"), ("สุกัญญา", "Sukanya"), ("วาสนา", "Watsana"),
    ("ลำดวน", "Lamduan"), ("สมจิตร", "Somchit"), ("เยาวลักษณ์", "Yaowalak"), ("จุฑามาศ", "Chuthamat"),
    ("ธิดารัตน์", "Thidarat"), ("อัมพร", "Amphon"), ("นันทนา", "Nanthana"), ("ละเอียด", "La-iat"),
]  # fmt: skip

# Surnames: central and southern Thai, Phuket's Hokkien-Thai families, and southern Muslim families.
SURNAMES: list[Name] = [
    ("ใจดี", "Chaidi"), ("สุขสวัสดิ์", "Suksawat"), ("แสงทอง", "Saengthong"), ("ศรีสุข", "Sisuk"),
    ("วงศ์สวัสดิ์", "Wongsawat"), ("บุญมา", "Bunma"), ("ทองดี", "Thongdi"), ("รัตนพันธ์", "Rattanaphan"),
    ("ศรีวงศ์", "Siwong"), ("พรหมมา", "Phromma"), ("สมบูรณ์", "Sombun"), ("มีสุข", "Misuk"),
    ("แก้วประเสริฐ", "Kaeoprasoet"), ("จันทร์เพ็ญ", "Chanphen"), ("ประเสริฐศักดิ์", "Prasoetsak"),
    ("สุวรรณรัตน์", "Suwannarat"), ("เพชรรัตน์", "Phetcharat"), ("ทองคำ", "Thongkham"), ("บุญเรือง", "Bunrueang"),
    ("นาคสุข", "Naksuk"), ("ศรีทอง", "Sithong"), ("อินทร์แก้ว", "Inkaeo"), ("ชัยมงคล", "Chaimongkhon"),
    ("ปานทอง", "Panthong"), ("วิเศษศักดิ์", "Wisetsak"), ("กิจเจริญ", "Kitcharoen"), ("เจริญสุข", "Charoensuk"),
    ("รุ่งเรือง", "Rungrueang"), ("สายสุวรรณ", "Saisuwan"), ("ทองมา", "Thongma"), ("หอมจันทร์", "Homchan"),
    ("บุญประเสริฐ", "Bunprasoet"), ("พงษ์พานิช", "Phongphanit"), ("มณีวงศ์", "Maniwong"), ("ศักดิ์ดี", "Sakdi"),
    ("อุดมสุข", "Udomsuk"), ("จันทร์หอม", "Chanhom"), ("วงศ์ใหญ่", "Wongyai"), ("สุขประเสริฐ", "Sukprasoet"),
    ("ทรัพย์มาก", "Sapmak"), ("นิลพันธ์", "Ninlaphan"), ("ศรีสมบูรณ์", "Sisombun"), ("ธนากร", "Thanakon"),
    ("พรหมสุวรรณ", "Phromsuwan"), ("สิทธิชัย", "Sitthichai"), ("เลิศวิไล", "Loetwilai"), ("คงสวัสดิ์", "Khongsawat"),
    ("สังข์ทอง", "Sangthong"), ("ทองสุข", "Thongsuk"), ("แก้วมณี", "Kaeomani"), ("ชูช่วย", "Chuchuai"),
    ("หนูเอียด", "Nu-iat"), ("ขุนทอง", "Khunthong"), ("เพ็ชรสุวรรณ", "Phetsuwan"), ("แซ่ตัน", "Sae Tan"),
    ("แซ่ลิ้ม", "Sae Lim"), ("แซ่อึ่ง", "Sae Ueng"), ("ตันติวงศ์", "Tantiwong"), ("ลิ่มสกุล", "Limsakun"),
    ("หงษ์หยก", "Hongyok"), ("เอกวานิช", "Ekkawanit"), ("อุดมทรัพย์", "Udomsap"), ("จิตต์หมั่น", "Chitman"),
    ("ทองตัน", "Thongtan"), ("บุญยืน", "Bunyuen"), ("วัฒนพงศ์", "Watthanaphong"), ("ศรีเมือง", "Simueang"),
    ("ดวงแก้ว", "Duangkaeo"), ("สุขเกษม", "Sukkasem"), ("นาคประเสริฐ", "Nakprasoet"), ("ทิพย์มณี", "Thipmani"),
    ("แสงอรุณ", "Saeng-arun"), ("ปัญญาดี", "Panyadi"), ("เรืองศรี", "Rueangsi"), ("ประดิษฐ์", "Pradit"),
    ("วิไลวรรณ", "Wilaiwan"), ("ชัยชนะ", "Chaichana"), ("ศรีประเสริฐ", "Siprasoet"), ("กาญจนวงศ์", "Kanchanawong"),
    ("ทองประเสริฐ", "Thongprasoet"), ("พูลสวัสดิ์", "Phunsawat"), ("อ่อนศรี", "Onsi"), ("บัวทอง", "Buathong"),
    ("มากมี", "Makmi"), ("สมศรี", "Somsi"), ("เกตุแก้ว", "Ketkaeo"), ("ไชยรัตน์", "Chairat"),
    ("หมื่นศรี", "Muensi"), ("ละเอียด", "La-iat"), ("คงเจริญ", "Khongcharoen"), ("สุขศรี", "Suksi"),
    ("จันทร์แก้ว", "Chankaeo"), ("รักษ์ทอง", "Rakthong"), ("วงศ์คำ", "Wongkham"), ("อินทรสุวรรณ", "Intharasuwan"),
    ("เพชรน้อย", "Phetnoi"), ("ศรีจันทร์", "Sichan"), ("ทองใบ", "Thongbai"), ("ปิ่นทอง", "Pinthong"),
    ("สมหวัง", "Somwang"), ("บุญช่วย", "Bunchuai"), ("แก้วกาญจนา", "Kaeokanchana"), ("ศิริวัฒน์", "Siriwat"),
    ("รัตนวงศ์", "Rattanawong"), ("พันธ์ทอง", "Phanthong"), ("นวลจันทร์", "Nuanchan"), ("สุวรรณชาติ", "Suwannachat"),
    ("มหาวงศ์", "Mahawong"), ("ชุมทอง", "Chumthong"), ("เรืองฤทธิ์", "Rueangrit"), ("ประสิทธิ์ผล", "Prasitphon"),
    ("ศรีสวัสดิ์", "Sisawat"), ("กลิ่นหอม", "Klinhom"), ("ทองเกิด", "Thongkoet"), ("บุญทวี", "Bunthawi"),
    ("อุ่นเรือน", "Unruean"), ("เย็นใจ", "Yenchai"), ("วรรณทอง", "Wannathong"), ("จันทร์ทอง", "Chanthong"),
    ("ทองนาค", "Thongnak"), ("ยอดดี", "Yotdi"), ("พรหมทอง", "Phromthong"), ("ศรีนวล", "Sinuan"),
    ("มงคลชัย", "Mongkhonchai"), ("สุวรรณมณี", "Suwannamani"), ("บุญส่ง", "Bunsong"), ("คำแก้ว", "Khamkaeo"),
    ("เทพทอง", "Thepthong"), ("ภักดี", "Phakdi"), ("สายทอง", "Saithong"), ("ชาญชัย", "Chanchai"),
    ("แสงจันทร์", "Saengchan"), ("ทองแท้", "Thongthae"), ("วิจิตร", "Wichit"), ("รักดี", "Rakdi"),
    ("นิ่มนวล", "Nimnuan"), ("ศรีเพชร", "Siphet"), ("จำปาทอง", "Champathong"), ("มีชัย", "Michai"),
    ("ดำรงค์", "Damrong"), ("เพชรสุข", "Phetsuk"), ("ทวีสุข", "Thawisuk"), ("บุญธรรม", "Buntham"),
    ("ศรีอุดม", "Si-udom"), ("วงศ์ทอง", "Wongthong"), ("อินทรวงศ์", "Intharawong"), ("สุขเจริญ", "Sukcharoen"),
    ("ทองอินทร์", "Thong-in"), ("คงทอง", "Khongthong"), ("ธรรมรักษ์", "Thammarak"), ("รัตนมณี", "Rattanamani"),
    ("สิงห์ทอง", "Singthong"), ("หมัดหลี", "Matli"), ("หลีหมัน", "Liman"), ("เบ็ญหมัด", "Benmat"),
    ("อาดำ", "Adam"), ("ประมงกิจ", "Pramongkit"), ("ทะเลลึก", "Thalaeluek"), ("สมุทรสาร", "Samutsan"),
]  # fmt: skip

# Parents' occupations as school forms record them, weighted for Phuket (tourism, fishing, trade).
PARENT_OCCUPATIONS: list[tuple[str, int]] = [
    ("รับจ้าง", 30), ("ค้าขาย", 16), ("พนักงานบริษัท", 12), ("พนักงานโรงแรม", 9), ("ธุรกิจส่วนตัว", 7),
    ("เกษตรกร", 5), ("ประมง", 5), ("รับราชการ", 6), ("พนักงานรัฐวิสาหกิจ", 2), ("ขับรถรับจ้าง", 4),
    ("แม่บ้าน", 4),
]  # fmt: skip
GRANDPARENT_OCCUPATIONS: list[tuple[str, int]] = [
    ("ไม่ได้ประกอบอาชีพ", 40), ("เกษตรกร", 20), ("ค้าขาย", 20), ("รับจ้าง", 15), ("ประมง", 5),
]  # fmt: skip
# Name-only parents of G-code children (no Thai citizen ID) mostly work as labourers.
UNDOCUMENTED_OCCUPATIONS: list[tuple[str, int]] = [("รับจ้าง", 60), ("ประมง", 25), ("ค้าขาย", 15)]

STREETS = [
    "ถนนถลาง", "ถนนกระบี่", "ถนนดีบุก", "ถนนเยาวราช", "ถนนภูเก็ต", "ถนนรัษฎา", "ถนนวิชิตสงคราม",
    "ถนนเจ้าฟ้าตะวันออก", "ถนนพังงา", "ถนนมนตรี", "ถนนสุรินทร์", "ถนนบางกอก",
]  # fmt: skip
