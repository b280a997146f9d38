import CCairo
import Foundation
import Typesetting

/// A multi-page specimen that exercises every script the engine supports and every block type
/// (a CARES-style letter: a fixture for the CLI and the tests, not part of the engine).
public enum Specimen {
    /// One real sentence per language (the same meaning in each): BCP 47 tag, name, sentence.
    public static let samples: [(tag: String, name: String, text: String)] = [
        ("en", "English", "Your child's care team will call you within two weeks to plan the next steps."),
        (
            "es", "Español",
            "El equipo de atención de su hijo le llamará dentro de dos semanas para planificar los próximos pasos."
        ),
        (
            "pt-BR", "Português",
            "A equipe de cuidados do seu filho ligará para você dentro de duas semanas para planejar os próximos passos."
        ),
        (
            "vi", "Tiếng Việt",
            "Nhóm chăm sóc của con quý vị sẽ gọi cho quý vị trong vòng hai tuần để lên kế hoạch cho các bước tiếp theo."
        ),
        ("ht", "Kreyòl ayisyen", "Ekip swen pitit ou a ap rele ou nan de semèn pou planifye pwochen etap yo."),
        (
            "fr", "Français",
            "L'équipe de soins de votre enfant vous appellera dans les deux semaines pour planifier les prochaines étapes."
        ),
        (
            "ru", "Русский",
            "Команда по уходу за вашим ребёнком позвонит вам в течение двух недель, чтобы спланировать дальнейшие шаги."
        ),
        (
            "el", "Ελληνικά",
            "Η ομάδα φροντίδας του παιδιού σας θα σας καλέσει μέσα σε δύο εβδομάδες για να σχεδιάσετε τα επόμενα βήματα."
        ),
        ("ar", "العربية", "سيتصل بك فريق رعاية طفلك خلال أسبوعين لتخطيط الخطوات التالية."),
        ("zh-Hans", "简体中文", "您孩子的护理团队将在两周内给您打电话，商量下一步的计划。"),
        ("zh-Hant", "繁體中文", "您孩子的護理團隊將在兩週內給您打電話，商量下一步的計劃。"),
        ("ko", "한국어", "자녀의 돌봄 팀이 2주 이내에 전화를 드려 다음 단계를 함께 계획할 것입니다."),
        ("ja", "日本語", "お子さまのケアチームが2週間以内にお電話し、次のステップを一緒に計画します。"),
        ("km", "ភាសាខ្មែរ", "ក្រុមថែទាំកូនរបស់អ្នកនឹងទូរស័ព្ទមកអ្នកក្នុងរយៈពេលពីរសប្តាហ៍ ដើម្បីរៀបចំផែនការជំហានបន្ទាប់។"),
        ("lo", "ພາສາລາວ", "ທີມດູແລລູກຂອງທ່ານຈະໂທຫາທ່ານພາຍໃນສອງອາທິດ ເພື່ອວາງແຜນຂັ້ນຕອນຕໍ່ໄປ."),
        ("th", "ภาษาไทย", "ทีมดูแลบุตรของคุณจะโทรหาคุณภายในสองสัปดาห์เพื่อวางแผนขั้นตอนต่อไป"),
        ("hi", "हिन्दी", "आपके बच्चे की देखभाल टीम अगले कदमों की योजना बनाने के लिए दो सप्ताह के भीतर आपको फ़ोन करेगी।"),
        ("gu", "ગુજરાતી", "તમારા બાળકની સંભાળ ટીમ આગળના પગલાંની યોજના બનાવવા માટે બે અઠવાડિયામાં તમને ફોન કરશે."),
        ("am", "አማርኛ", "የልጅዎ የእንክብካቤ ቡድን ቀጣዮቹን እርምጃዎች ለማቀድ በሁለት ሳምንታት ውስጥ ይደውልልዎታል።"),
    ]

    public static func document(creationDate: Date? = nil) -> Document {
        var blocks: [Block] = []
        // Letterhead with a logo, and the #10 window address frame.
        blocks.append(
            .image(ImageBlock(png: logoPNG(), alt: "CareDocs logo: a blue square with the letters CD", width: 40))
        )
        blocks.append(
            .paragraph(
                Paragraph([Span.bold("CareDocs Typesetting Specimen")], style: TextStyle(size: 16), spaceAfter: 2)
            )
        )
        blocks.append(
            .paragraph(
                Paragraph(
                    "100 Example Street, Boston, MA 02110 · (617) 555-0100",
                    style: TextStyle(size: 9, color: .gray)
                )
            )
        )
        blocks.append(
            .frame(
                Frame(
                    x: 72,
                    y: 144,
                    width: 288,
                    height: 72,
                    blocks: [
                        .paragraph(Paragraph("Maria Example-Guardian", spaceAfter: 0)),
                        .paragraph(Paragraph("25 Sample Road, Apt 3", spaceAfter: 0)),
                        .paragraph(Paragraph("Worcester, MA 01608", spaceAfter: 0)),
                    ]
                )
            )
        )
        blocks.append(.heading(Heading(level: 1, "Every script we print")))
        blocks.append(
            .paragraph(
                Paragraph(
                    [
                        Span("This specimen shows one sentence in each language MassHealth families speak, set with "),
                        Span("HarfBuzz", bold: true), Span(" shaping, "), Span("FriBidi", italic: true),
                        Span(" bidi, ICU line breaking and font fallback over the bundled Noto fonts. Links work: "),
                        Span("mass.gov/masshealth", link: "https://www.mass.gov/masshealth"),
                        Span(". Colour and underline: "), Span("overdue", color: .red, underline: true), Span("."),
                    ],
                    alignment: .justify
                )
            )
        )
        for s in samples {
            blocks.append(.heading(Heading(level: 2, [Span("\(s.name) (\(s.tag))")], language: s.tag)))
            blocks.append(
                .paragraph(
                    Paragraph(
                        [Span(s.text)],
                        alignment: Direction.forLanguage(s.tag) == .rtl ? .start : .justify,
                        direction: Direction.forLanguage(s.tag),
                        language: s.tag
                    )
                )
            )
        }
        blocks.append(.heading(Heading(level: 2, "Right-to-left with numbers kept in order")))
        blocks.append(
            .paragraph(
                Paragraph(
                    [
                        Span(
                            "اتصل بنا على الرقم \u{2066}(617) 555-0100\u{2069} أو زر \u{2066}www.mass.gov\u{2069} قبل \u{2066}2026-12-01\u{2069}."
                        )
                    ],
                    direction: .rtl,
                    language: "ar"
                )
            )
        )
        blocks.append(
            .list(
                ListBlock(
                    marker: .number,
                    items: [
                        [.paragraph(Paragraph([Span("الأدوية")], direction: .rtl, language: "ar", spaceAfter: 2))],
                        [
                            .paragraph(Paragraph([Span("الحساسية")], direction: .rtl, language: "ar", spaceAfter: 2)),
                            .list(
                                ListBlock(
                                    marker: .bullet,
                                    items: [
                                        [
                                            .paragraph(
                                                Paragraph(
                                                    [Span("البنسلين")],
                                                    direction: .rtl,
                                                    language: "ar",
                                                    spaceAfter: 2
                                                )
                                            )
                                        ]
                                    ],
                                    direction: .rtl
                                )
                            ),
                        ],
                    ],
                    direction: .rtl
                )
            )
        )

        blocks.append(.heading(Heading(level: 1, "Blocks")))
        blocks.append(
            .callout(
                Callout(
                    [
                        .paragraph(
                            Paragraph(
                                [
                                    Span("ALLERGIES: ", bold: true),
                                    Span("penicillin (hives), peanuts (anaphylaxis), latex"),
                                ],
                                style: TextStyle(size: 13),
                                spaceAfter: 0
                            )
                        )
                    ],
                    borderColor: .red,
                    borderWidth: 2,
                    fill: Color(red: 1, green: 0.93, blue: 0.93)
                )
            )
        )
        blocks.append(
            .keyValue(
                KeyValueGrid([
                    ("Name", "Jordan Example"), ("Date of birth", "03/14/2015"), ("MassHealth ID", "100200300400"),
                    ("Phone", "(617) 555-0100"), ("Language", "Español / English"),
                ])
            )
        )
        blocks.append(.heading(Heading(level: 3, "Lists")))
        blocks.append(
            .list(
                ListBlock(
                    marker: .bullet,
                    items: [
                        [.paragraph(Paragraph("Call the care coordinator with any question.", spaceAfter: 2))],
                        [
                            .paragraph(Paragraph("Bring this plan to every visit.", spaceAfter: 2)),
                            .list(
                                ListBlock(
                                    marker: .bullet,
                                    items: [
                                        [.paragraph(Paragraph("Keep a copy in the car.", spaceAfter: 2))],
                                        [.paragraph(Paragraph("Give one to the school nurse.", spaceAfter: 2))],
                                    ]
                                )
                            ),
                        ],
                        [.paragraph(Paragraph("Ask for an interpreter at no cost.", spaceAfter: 2))],
                    ]
                )
            )
        )
        blocks.append(
            .list(
                ListBlock(
                    marker: .number,
                    items: (1...3).map { i in
                        [
                            .paragraph(
                                Paragraph(
                                    "Step \(i): a numbered item that is long enough to wrap onto a second line so the hanging indent shows clearly.",
                                    spaceAfter: 2
                                )
                            )
                        ]
                    }
                )
            )
        )
        blocks.append(.rule(Rule()))
        blocks.append(.spacer(6))
        blocks.append(.heading(Heading(level: 2, "A table that spans pages")))
        let header: [Table.Cell] = [
            Table.Cell("#", bold: true), Table.Cell("Medication", bold: true), Table.Cell("Dose", bold: true),
            Table.Cell("When", bold: true),
        ]
        let meds = [
            "Levetiracetam", "Omeprazole", "Baclofen", "Glycopyrrolate", "Albuterol", "Polyethylene glycol",
            "Vitamin D", "Melatonin",
        ]
        var rows: [[Table.Cell]] = []
        for i in 1...48 {
            let m = meds[i % meds.count]
            rows.append([
                Table.Cell("\(i)"), Table.Cell(m), Table.Cell("\(i * 5) mg"),
                Table.Cell(
                    i % 7 == 0
                        ? "Twice a day with food, and once more at bedtime if the seizure plan says so; call the neurologist if doses are missed two days in a row."
                        : "Twice a day"
                ),
            ])
        }
        blocks.append(
            .table(
                Table(
                    columns: [.fixed(28), .auto, .fixed(60), .relative(1)],
                    headerRows: [header],
                    rows: rows,
                    summary: "Medications"
                )
            )
        )
        blocks.append(.heading(Heading(level: 2, [Span("جدول باتجاه من اليمين إلى اليسار")], language: "ar")))
        blocks.append(
            .table(
                Table(
                    columns: [.relative(1), .relative(2)],
                    headerRows: [[Table.Cell("الدواء", bold: true), Table.Cell("الجرعة", bold: true)]],
                    rows: [
                        [Table.Cell("باكلوفين"), Table.Cell("\u{2066}10 mg\u{2069} مرتين يوميًا")],
                        [Table.Cell("أوميبرازول"), Table.Cell("\u{2066}20 mg\u{2069} صباحًا")],
                    ],
                    direction: .rtl
                )
            )
        )
        blocks.append(
            .keepTogether([
                .heading(Heading(level: 3, "Kept together")),
                .paragraph(Paragraph("This heading and paragraph stay on one page.")),
            ])
        )
        blocks.append(.pageBreak)
        blocks.append(.heading(Heading(level: 1, "After a page break")))
        blocks.append(
            .paragraph(
                Paragraph(
                    "A word longer than the line is broken rather than overflowing: "
                        + String(repeating: "Supercalifragilistic", count: 8)
                )
            )
        )

        return Document(
            page: PageSetup(width: 612, height: 792, margins: Insets(all: 72), firstPageTopMargin: 36),
            language: "en",
            metadata: Metadata(
                title: "CareDocs typesetting specimen",
                author: "CareDocs",
                subject: "Every script and block type",
                keywords: ["specimen", "typesetting"],
                creationDate: creationDate
            ),
            header: PageDecoration(start: "{title}", end: "Ref {ref}", rule: true),
            firstPageHeader: PageDecoration(),
            footer: PageDecoration(center: "Page {page} of {pages}"),
            referenceID: "SPEC-0001",
            blocks: blocks
        )
    }

    /// A small logo drawn with Cairo (so the specimen needs no image file).
    public static func logoPNG() -> Data {
        CairoImage.png(width: 120, height: 120) { cr in
            cairo_set_source_rgb(cr, 0.05, 0.3, 0.6)
            cairo_rectangle(cr, 0, 0, 120, 120)
            cairo_fill(cr)
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_set_line_width(cr, 12)
            cairo_arc(cr, 48, 60, 28, 0.6, 2 * Double.pi - 0.6)
            cairo_stroke(cr)
            cairo_move_to(cr, 80, 30)
            cairo_line_to(cr, 80, 90)
            cairo_stroke(cr)
        }
    }
}
