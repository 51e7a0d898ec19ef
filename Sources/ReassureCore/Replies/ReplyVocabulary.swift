/// Reply words in every shipped language (en, af, zu, xh, st, nso, tn, sn, nd, ny, pt, fr, sw,
/// so, am, ar, es, bn, ur, vi). Matching ignores case and accents.
enum ReplyVocabulary {
    static let keywords: [ReplyIntent: [String]] = [
        .stop: [
            "stop", "stopp", "unsubscribe", "end", "cancel", "quit",  // en
            "stop", "hou op", "staak",  // af
            "yeka", "misa", "ungaphinde",  // zu, xh
            "emisa", "khaotsa", "emiša", "tlogela",  // st, nso, tn
            "mira", "rega",  // sn
            "yima", "phela",  // nd
            "siya", "lekani", "imani",  // ny
            "parar", "pare", "parem", "cancelar",  // pt
            "arret", "arrêt", "arreter", "arrêter", "stop",  // fr
            "acha", "simamisha", "sitisha",  // sw
            "jooji", "joogso", "iska daa",  // so
            "ይቁም", "አቁም", "አቁሙ",  // am
            "توقف", "قف", "الغاء", "إلغاء",  // ar
            "alto", "baja", "detener", "para",  // es
            "বন্ধ", "থামুন",  // bn
            "بند", "رکو", "روکیں",  // ur
            "dung", "dừng", "huy", "hủy",  // vi
        ],
        .start: [
            "start", "unstop", "resume", "subscribe",  // en
            "begin", "hervat",  // af
            "qala", "qalisa",  // zu, xh
            "qala", "thoma", "simolola",  // st, nso, tn
            "tanga",  // sn
            "qalisa",  // nd
            "yamba", "yambitsani",  // ny
            "comecar", "começar", "iniciar", "retomar",  // pt
            "commencer", "reprendre",  // fr
            "anza", "endelea",  // sw
            "bilow", "billow",  // so
            "ጀምር", "ጀምሩ",  // am
            "ابدأ", "ابدا", "استئناف",  // ar
            "empezar", "comenzar", "reanudar",  // es
            "শুরু",  // bn
            "شروع",  // ur
            "bat dau", "bắt đầu", "tiep tuc", "tiếp tục",  // vi
        ],
        .call: [
            "call", "call me", "callback", "call back", "phone me", "ring me",  // en
            "bel", "bel my",  // af
            "shaya", "ngishayele", "ngifonele", "fowuna", "nditsalele",  // zu, xh
            "letsetsa", "nteletsa", "leletša", "leletsa", "nteletse",  // st, nso, tn
            "fona", "ndifonere", "ridza",  // sn
            "fonela", "ngifonele",  // nd
            "imbira", "ndiimbireni",  // ny
            "ligar", "liga", "ligue", "ligue me", "ligar me",  // pt
            "appeler", "appel", "appelez moi", "rappel",  // fr
            "piga simu", "nipigie", "pigia",  // sw
            "wac", "i soo wac", "ii soo wac",  // so
            "ደውሉ", "ደውል", "ደውሉልኝ",  // am
            "اتصل", "اتصلوا", "اتصل بي",  // ar
            "llamar", "llamada", "llamenme", "llámenme", "llamame", "llámame",  // es
            "কল", "ফোন", "কল করুন",  // bn
            "کال", "فون", "کال کریں",  // ur
            "goi", "gọi", "goi lai", "gọi lại", "goi toi", "gọi tôi",  // vi
        ],
        .help: [
            "help", "help me", "sos",  // en
            "hulp", "help my",  // af
            "usizo", "siza", "ngisize", "uncedo", "nceda", "ndincede",  // zu, xh
            "thuso", "thušo", "nthuse", "thusa",  // st, nso, tn
            "rubatsiro", "ndibatsirei", "batsira",  // sn
            "ngisize",  // nd
            "thandizo", "ndithandizeni", "thandizani",  // ny
            "ajuda", "socorro", "ajudem me",  // pt
            "aide", "aidez moi", "au secours",  // fr
            "msaada", "nisaidie", "saidia",  // sw
            "caawin", "caawimaad", "i caawi", "gargaar",  // so
            "እርዳታ", "እርዱኝ", "እርዳኝ",  // am
            "مساعدة", "ساعدني", "النجدة",  // ar
            "ayuda", "ayudame", "ayúdame", "socorro",  // es
            "সাহায্য", "সাহায্য করুন",  // bn
            "مدد", "مدد کریں",  // ur
            "giup", "giúp", "giup do", "giúp đỡ", "cuu", "cứu",  // vi
        ],
    ]

    /// Opt-out said in a sentence; matched anywhere in the (normalised) reply.
    static let optOutPhrases: [String] = [
        "leave me alone", "stop messaging", "stop texting", "stop sending", "stop contacting", "dont contact me",
        "don't contact me", "do not contact me", "dont text me", "do not text me", "no more messages",
        "stop these messages", "remove me", "laat my uit", "moenie my kontak nie", "deixem me em paz",
        "nao me contactem", "não me contactem", "laissez moi tranquille", "ne me contactez plus",
        "dejenme en paz", "déjenme en paz", "no me contacten", "niache", "usinitumie", "ha ii soo dirin",
        "ngiyeke", "ndiyekele", "لا تتصلوا بي", "اتركوني",
    ]

    /// Words that do not change what a keyword means.
    static let politeness: Set<String> = ["please", "pls", "plz", "asseblief", "por", "favor", "sil", "vous", "plait", "tafadhali", "fadlan"]
}
