"""The customer questionnaire the portal ships ("Kundenbefragung"), loaded by a data migration.

Written for people with little German: short questions, one thing at a time, the same five answer
steps throughout. Each item names the self-check dimension it belongs to (by its name in the
self-check's questionnaire), so the customers' view can be read beside the authority's own.
Texts: {language code: text}; a choice item's options: {language code: [option, ...]}.
"""

CODE = "kunden-2026"
TITLE = "Kundenbefragung der Ausländerbehörden"

# (code, kind, dimension, required, texts, options)
ITEMS = [
    (
        "overall",
        "scale",
        "Selbstverständnis",
        True,
        {
            "de": "Wie war Ihr Besuch heute insgesamt?",
            "ls": "Wie war es heute bei der Ausländer-Behörde?",
            "en": "Overall, how was your visit today?",
            "ar": "كيف كانت زيارتك اليوم بشكل عام؟",
            "fa": "در کل، مراجعه امروز شما چطور بود؟",
            "tr": "Bugünkü ziyaretiniz genel olarak nasıldı?",
            "ru": "Как в целом прошёл ваш визит сегодня?",
            "uk": "Як загалом пройшов ваш візит сьогодні?",
            "fr": "Dans l'ensemble, comment s'est passée votre visite aujourd'hui ?",
        },
        None,
    ),
    (
        "appointment",
        "scale",
        "Interne Organisation",
        True,
        {
            "de": "Wie war es, einen Termin zu bekommen?",
            "ls": "Wie gut hat es mit dem Termin geklappt?",
            "en": "How was it to get an appointment?",
            "ar": "كيف كان الحصول على موعد؟",
            "fa": "گرفتن وقت ملاقات چطور بود؟",
            "tr": "Randevu almak nasıldı?",
            "ru": "Как вы оцениваете запись на приём?",
            "uk": "Як ви оцінюєте запис на прийом?",
            "fr": "Comment s'est passée la prise de rendez-vous ?",
        },
        None,
    ),
    (
        "waiting",
        "scale",
        "Interne Organisation",
        True,
        {
            "de": "Wie war die Wartezeit heute?",
            "ls": "Wie war das Warten heute?",
            "en": "How was the waiting time today?",
            "ar": "كيف كان وقت الانتظار اليوم؟",
            "fa": "زمان انتظار امروز چطور بود؟",
            "tr": "Bugünkü bekleme süresi nasıldı?",
            "ru": "Как вы оцениваете время ожидания сегодня?",
            "uk": "Як ви оцінюєте час очікування сьогодні?",
            "fr": "Comment était le temps d'attente aujourd'hui ?",
        },
        None,
    ),
    (
        "information",
        "scale",
        "Außendarstellung und Service",
        True,
        {
            "de": "Wie gut waren die Informationen vor Ihrem Besuch (Brief, Internet, Telefon)?",
            "ls": "Vor dem Besuch: Wie gut waren die Infos? Zum Beispiel im Brief, im Internet oder "
            "am Telefon.",
            "en": "How good was the information before your visit (letter, website, phone)?",
            "ar": "ما مدى جودة المعلومات قبل زيارتك (رسالة، إنترنت، هاتف)؟",
            "fa": "اطلاعات پیش از مراجعه (نامه، اینترنت، تلفن) چقدر خوب بود؟",
            "tr": "Ziyaretinizden önceki bilgiler (mektup, internet, telefon) ne kadar iyiydi?",
            "ru": "Насколько хорошей была информация до визита (письмо, интернет, телефон)?",
            "uk": "Наскільки доброю була інформація до візиту (лист, інтернет, телефон)?",
            "fr": "Comment jugez-vous les informations reçues avant votre visite (lettre, internet, "
            "téléphone) ?",
        },
        None,
    ),
    (
        "explanation",
        "scale",
        "Außendarstellung und Service",
        True,
        {
            "de": "Wie gut wurde Ihnen erklärt, was Sie jetzt tun müssen?",
            "ls": "Wissen Sie jetzt, was Sie als Nächstes tun müssen? Wie gut wurde es Ihnen erklärt?",
            "en": "How well was it explained to you what you need to do next?",
            "ar": "ما مدى وضوح الشرح لما يجب عليك فعله الآن؟",
            "fa": "چقدر خوب برای شما توضیح داده شد که حالا چه کاری باید انجام دهید؟",
            "tr": "Şimdi ne yapmanız gerektiği size ne kadar iyi açıklandı?",
            "ru": "Насколько хорошо вам объяснили, что делать дальше?",
            "uk": "Наскільки добре вам пояснили, що робити далі?",
            "fr": "Vous a-t-on bien expliqué ce que vous devez faire maintenant ?",
        },
        None,
    ),
    (
        "friendliness",
        "scale",
        "Interkulturelle Kompetenzen",
        True,
        {
            "de": "Wie freundlich waren die Mitarbeitenden zu Ihnen?",
            "ls": "Wie freundlich waren die Menschen in der Behörde zu Ihnen?",
            "en": "How friendly were the staff to you?",
            "ar": "ما مدى لطف الموظفين معك؟",
            "fa": "کارکنان چقدر با شما مهربان بودند؟",
            "tr": "Çalışanlar size karşı ne kadar nazikti?",
            "ru": "Насколько вежливы были с вами сотрудники?",
            "uk": "Наскільки ввічливими були з вами працівники?",
            "fr": "Le personnel a-t-il été aimable avec vous ?",
        },
        None,
    ),
    (
        "respect",
        "yes_no",
        "Selbstverständnis",
        True,
        {
            "de": "Wurden Sie mit Respekt behandelt?",
            "ls": "Hat man Sie mit Respekt behandelt?",
            "en": "Were you treated with respect?",
            "ar": "هل عوملت باحترام؟",
            "fa": "آیا با شما با احترام رفتار شد؟",
            "tr": "Size saygılı davranıldı mı?",
            "ru": "С вами обращались уважительно?",
            "uk": "Чи ставилися до вас з повагою?",
            "fr": "Avez-vous été traité avec respect ?",
        },
        None,
    ),
    (
        "understanding",
        "yes_no",
        "Interkulturelle Kompetenzen",
        True,
        {
            "de": "Konnten Sie sich gut verständigen (auch mit Hilfe, z. B. durch Dolmetschen)?",
            "ls": "Konnten Sie gut miteinander sprechen? Auch mit Hilfe, zum Beispiel mit einem Dolmetscher.",
            "en": "Could you communicate well (also with help, e.g. an interpreter)?",
            "ar": "هل استطعت التواصل بشكل جيد (ولو بمساعدة، مثل مترجم)؟",
            "fa": "آیا توانستید به خوبی صحبت کنید و منظورتان را برسانید (حتی با کمک، مثلاً مترجم)؟",
            "tr": "İyi anlaşabildiniz mi (yardımla da olabilir, örneğin tercüman ile)?",
            "ru": "Удалось ли вам хорошо объясниться (в том числе с помощью, например, переводчика)?",
            "uk": "Чи змогли ви добре порозумітися (також із допомогою, наприклад, перекладача)?",
            "fr": "Avez-vous pu bien vous faire comprendre (aussi avec de l'aide, par exemple "
            "un interprète) ?",
        },
        None,
    ),
    (
        "further_help",
        "yes_no",
        "Vernetzung",
        True,
        {
            "de": "Hat man Ihnen gesagt, wo Sie weitere Hilfe bekommen (z. B. Beratung, Sprachkurs, Arbeit)?",
            "ls": "Hat man Ihnen gesagt, wo Sie noch mehr Hilfe bekommen? Zum Beispiel Beratung, Sprach-Kurs "
            "oder Arbeit.",
            "en": "Were you told where to get further help (e.g. advice, language course, work)?",
            "ar": "هل أخبروك أين يمكنك الحصول على مساعدة إضافية (مثل الاستشارة، دورة اللغة، العمل)؟",
            "fa": "آیا به شما گفتند کجا می‌توانید کمک بیشتری بگیرید (مثلاً مشاوره، کلاس زبان، کار)؟",
            "tr": "Başka nereden yardım alabileceğiniz size söylendi mi (örneğin danışmanlık, dil "
            "kursu, iş)?",
            "ru": "Вам сказали, где можно получить дополнительную помощь (например, консультацию, языковые "
            "курсы, работу)?",
            "uk": "Вам сказали, де можна отримати додаткову допомогу (наприклад, консультацію, мовні курси, "
            "роботу)?",
            "fr": "Vous a-t-on dit où trouver d'autres aides (par exemple conseil, cours de langue, "
            "travail) ?",
        },
        None,
    ),
    (
        "reason",
        "choice",
        "",
        False,
        {
            "de": "Warum waren Sie heute hier?",
            "ls": "Warum waren Sie heute hier?",
            "en": "Why were you here today?",
            "ar": "لماذا كنت هنا اليوم؟",
            "fa": "امروز برای چه کاری اینجا بودید؟",
            "tr": "Bugün neden buradaydınız?",
            "ru": "По какому вопросу вы сегодня приходили?",
            "uk": "З якого питання ви сьогодні приходили?",
            "fr": "Pourquoi êtes-vous venu aujourd'hui ?",
        },
        {
            "de": ["Erster Aufenthaltstitel", "Verlängerung", "Etwas anderes"],
            "ls": [
                "Ich brauche zum ersten Mal eine Erlaubnis zum Bleiben.",
                "Meine Erlaubnis soll länger gelten.",
                "Etwas anderes",
            ],
            "en": ["First residence permit", "Extension", "Something else"],
            "ar": ["أول تصريح إقامة", "تمديد", "شيء آخر"],
            "fa": ["اولین اجازه اقامت", "تمدید", "کار دیگری"],
            "tr": ["İlk oturum izni", "Uzatma", "Başka bir konu"],
            "ru": ["Первый вид на жительство", "Продление", "Другое"],
            "uk": ["Перший дозвіл на проживання", "Продовження", "Інше"],
            "fr": ["Premier titre de séjour", "Prolongation", "Autre chose"],
        },
    ),
    (
        "comment",
        "comment",
        "",
        False,
        {
            "de": "Möchten Sie uns noch etwas sagen?",
            "ls": "Möchten Sie uns noch etwas sagen? Sie können es hier schreiben.",
            "en": "Is there anything else you would like to tell us?",
            "ar": "هل تريد أن تخبرنا بشيء آخر؟",
            "fa": "آیا می‌خواهید چیز دیگری به ما بگویید؟",
            "tr": "Bize söylemek istediğiniz başka bir şey var mı?",
            "ru": "Хотите ещё что-нибудь нам сказать?",
            "uk": "Хочете ще щось нам сказати?",
            "fr": "Souhaitez-vous nous dire autre chose ?",
        },
        None,
    ),
]
