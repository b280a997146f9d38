import Testing

@testable import CaresDocuments

@Suite struct SupportedLanguageTests {
    @Test func canonicalTagsMapToThemselves() {
        #expect(
            SupportedLanguage.supportedTags == [
                "en", "es", "pt-BR", "ht", "vi", "kea", "zh-Hans", "zh-Hant", "ar", "km", "fr", "ko", "ru",
            ]
        )
        for language in SupportedLanguage.allCases {
            #expect(SupportedLanguage.normalize(language.tag) == language)
            #expect(SupportedLanguage.normalize(language.tag.uppercased()) == language)
            #expect(SupportedLanguage.normalize(language.tag.lowercased()) == language)
        }
    }

    @Test(arguments: [
        ("pt", SupportedLanguage.brazilianPortuguese), ("pt-PT", .brazilianPortuguese), ("PT-br", .brazilianPortuguese),
        ("zh-CN", .simplifiedChinese), ("zh-SG", .simplifiedChinese), ("zh-my", .simplifiedChinese),
        ("zh-Hans-HK", .simplifiedChinese),
        ("zh-TW", .traditionalChinese), ("zh-HK", .traditionalChinese), ("zh-MO", .traditionalChinese),
        ("ZH-HANT", .traditionalChinese),
        ("en-US", .english), ("en-GB", .english), ("en-US-posix", .english), ("en-Latn-US", .english),
        ("es-419", .spanish),
        ("es-US", .spanish), ("fr-CA", .french), ("ar-EG", .arabic), ("ar-Arab", .arabic), ("ko-Kore-KR", .korean),
        ("ru-RU", .russian), ("ht-HT", .haitianCreole), ("kea-CV", .capeVerdeanCreole), ("km-KH", .khmer),
        ("vi-VN", .vietnamese),
    ])
    func aliases(_ tag: String, _ language: SupportedLanguage) {
        #expect(SupportedLanguage.normalize(tag) == language)
    }

    @Test(arguments: [
        "zh", "zh-US", "zh-Latn", "ru-Latn", "ar-Latn", "de", "ja", "it", "pl", "el", "hi", "gu", "lo", "", "-", "en-",
        "en_US", "e", "english", "en-x-private", "en-US-a-bcd",
    ])
    func unsupported(_ tag: String) {
        #expect(SupportedLanguage.normalize(tag) == nil)
    }
}
