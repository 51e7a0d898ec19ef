import Testing

@testable import ReassureCore

@Suite struct ReplyClassifierTests {
    let classifier = ReplyClassifier()

    @Test(arguments: [
        ("STOP", ReplyIntent.stop), ("stop", .stop), ("Stop please", .stop), ("  STOP!!", .stop), ("0", .stop),
        ("START", .start), ("CALL", .call), ("call me", .call), ("1", .call), ("HELP", .help), ("help!", .help),
        ("jooji", .stop), ("JOOJI", .stop), ("wac", .call), ("caawin", .help), ("bilow", .start),  // so
        ("parar", .stop), ("Ligar", .call), ("ajuda", .help), ("começar", .start), ("comecar", .start),  // pt
        ("arrêt", .stop), ("ARRET", .stop), ("appeler", .call), ("aide", .help),  // fr
        ("yeka", .stop), ("shaya", .call), ("usizo", .help), ("qala", .start),  // zu
        ("ይቁም", .stop), ("ደውሉ", .call), ("እርዳታ", .help), ("ጀምር", .start),  // am
        ("توقف", .stop), ("اتصل", .call), ("مساعدة", .help), ("ابدأ", .start),  // ar
        ("ayuda", .help), ("llamar", .call), ("alto", .stop),  // es
        ("বন্ধ", .stop), ("কল", .call), ("সাহায্য", .help),  // bn
        ("بند", .stop), ("کال", .call), ("مدد", .help),  // ur
        ("dừng", .stop), ("DUNG", .stop), ("gọi", .call), ("giúp", .help), ("bắt đầu", .start),  // vi
        ("acha", .stop), ("msaada", .help), ("piga simu", .call),  // sw
        ("emisa", .stop), ("thuso", .help), ("mira", .stop), ("fona", .call), ("siya", .stop), ("imbira", .call),
        ("hou op", .stop), ("bel", .call), ("hulp", .help),  // af
        ("please leave me alone", .stop), ("Don't contact me again", .stop),
    ])
    func repliesAreUnderstoodInEveryShippedLanguage(_ text: String, _ intent: ReplyIntent) {
        #expect(classifier.classify(text) == intent, "\(text)")
    }

    @Test(arguments: ["When is the court date?", "thank you", "I don't want you to stop helping me", "", "stop by tomorrow at the station please"])
    func anythingElseIsKeptForAPerson(_ text: String) {
        #expect(classifier.classify(text) == .other)
    }

    @Test func digitsAreConfigurable() {
        let custom = ReplyClassifier(digits: ["9": .stop, "5": .help])
        #expect(custom.classify("9") == .stop)
        #expect(custom.classify("5") == .help)
        #expect(custom.classify("1") == .other)
    }

    @Test func noWordMeansTwoThings() {
        var seen: [String: ReplyIntent] = [:]
        for (intent, words) in ReplyVocabulary.keywords {
            for word in words.map(ReplyClassifier.normalise) {
                if let earlier = seen[word] { #expect(earlier == intent, "'\(word)' means \(earlier) and \(intent)") }
                seen[word] = intent
            }
        }
    }
}
