"""The languages of the customer survey and the words of its public pages, in each language.

The public pages show nothing of the portal, so they do not use the portal's catalogues (German and
English only): every word a visitor reads is here, once per language, and a test checks that every
language has every word. The questionnaire's own texts are data (SurveyItemText). Texts in languages
no native speaker has confirmed yet are listed in UNCHECKED; project staff see them marked.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SurveyLanguage:
    code: str  # in the public URL
    lang: str  # the HTML `lang` and `hreflang` value
    name: str  # the language's own name
    rtl: bool = False


LANGUAGES: dict[str, SurveyLanguage] = {
    language.code: language
    for language in [
        SurveyLanguage("de", "de", "Deutsch"),
        SurveyLanguage("ls", "de-x-ls", "Leichte Sprache"),
        SurveyLanguage("en", "en", "English"),
        SurveyLanguage("ar", "ar", "العربية", rtl=True),
        SurveyLanguage("fa", "fa", "فارسی / دری", rtl=True),
        SurveyLanguage("tr", "tr", "Türkçe"),
        SurveyLanguage("ru", "ru", "Русский"),
        SurveyLanguage("uk", "uk", "Українська"),
        SurveyLanguage("fr", "fr", "Français"),
    ]
}
DEFAULT_LANGUAGE = "de"
# Written by the project team; a native speaker has not confirmed them yet.
UNCHECKED = frozenset({"ar", "fa", "tr", "ru", "uk", "fr"})

# The five steps of a scale item, best first (value 5 down to 1).
SCALE_VALUES = (5, 4, 3, 2, 1)

WORDS: dict[str, dict[str, object]] = {
    "de": {
        "title": "Ihre Meinung zählt",
        "intro": "Wir möchten besser werden. Bitte beantworten Sie ein paar kurze Fragen.",
        "anonymous": "Die Umfrage ist anonym. Wir speichern nur Ihre Antworten und den Tag – "
        "keinen Namen, keine IP-Adresse, keine Cookies.",
        "language": "Sprache",
        "required": "Pflichtfrage",
        "optional": "freiwillig",
        "scale": ("sehr gut", "gut", "mittel", "schlecht", "sehr schlecht"),
        "yes": "ja",
        "no": "nein",
        "comment_hint": "Bitte schreiben Sie keine Namen, Telefonnummern oder E-Mail-Adressen.",
        "honeypot": "Bitte lassen Sie dieses Feld leer.",
        "submit": "Antworten absenden",
        "error_summary": "Bitte prüfen Sie Ihre Antworten.",
        "missing": "Bitte wählen Sie eine Antwort.",
        "too_long": "Ihr Text ist zu lang. Bitte schreiben Sie höchstens {max} Zeichen.",
        "token": "Das Formular ist abgelaufen oder wurde schon abgeschickt. Bitte füllen Sie es noch "
        "einmal aus.",
        "rate": "Von diesem Anschluss kamen gerade sehr viele Antworten. Bitte versuchen Sie es später "
        "noch einmal.",
        "closed": "Zurzeit läuft keine Umfrage. Vielen Dank für Ihr Interesse.",
        "unknown_language": "Diese Sprache gibt es hier nicht. Bitte wählen Sie eine Sprache aus der Liste.",
        "thanks_title": "Vielen Dank!",
        "thanks": "Ihre Antworten sind gespeichert. Sie können die Seite jetzt schließen.",
        "invitation": "Ihre Meinung zählt: Bitte machen Sie bei unserer Umfrage mit.",
        "we_did": "Sie sagten – wir taten",
    },
    "ls": {
        "title": "Ihre Meinung ist wichtig",
        "intro": "Wir wollen besser werden. Bitte beantworten Sie ein paar Fragen. Das geht schnell.",
        "anonymous": "Niemand erfährt, wer Sie sind. Wir speichern nur Ihre Antworten und den Tag.",
        "language": "Sprache",
        "required": "Bitte antworten",
        "optional": "Sie müssen nicht antworten",
        "scale": ("sehr gut", "gut", "mittel", "schlecht", "sehr schlecht"),
        "yes": "ja",
        "no": "nein",
        "comment_hint": "Bitte schreiben Sie keine Namen. Bitte schreiben Sie keine Telefon-Nummern und "
        "keine E-Mail-Adressen.",
        "honeypot": "Bitte schreiben Sie hier nichts.",
        "submit": "Antworten schicken",
        "error_summary": "Bitte sehen Sie sich Ihre Antworten noch einmal an.",
        "missing": "Bitte wählen Sie eine Antwort.",
        "too_long": "Ihr Text ist zu lang. Bitte schreiben Sie weniger. Höchstens {max} Zeichen.",
        "token": "Das Formular ist zu alt. Oder Sie haben es schon geschickt. Bitte füllen Sie es noch "
        "einmal aus.",
        "rate": "Gerade kamen sehr viele Antworten. Bitte versuchen Sie es später noch einmal.",
        "closed": "Im Moment gibt es keine Umfrage. Danke schön.",
        "unknown_language": "Diese Sprache gibt es hier nicht. Bitte wählen Sie eine Sprache aus der Liste.",
        "thanks_title": "Danke schön!",
        "thanks": "Wir haben Ihre Antworten. Sie können die Seite jetzt zu-machen.",
        "invitation": "Ihre Meinung ist wichtig. Bitte machen Sie bei der Umfrage mit.",
        "we_did": "Das haben Sie gesagt. Das haben wir gemacht.",
    },
    "en": {
        "title": "Your opinion counts",
        "intro": "We want to get better. Please answer a few short questions.",
        "anonymous": "The survey is anonymous. We only store your answers and the day – no name, no IP "
        "address, no cookies.",
        "language": "Language",
        "required": "required",
        "optional": "optional",
        "scale": ("very good", "good", "okay", "bad", "very bad"),
        "yes": "yes",
        "no": "no",
        "comment_hint": "Please do not write names, phone numbers or e-mail addresses.",
        "honeypot": "Please leave this field empty.",
        "submit": "Send answers",
        "error_summary": "Please check your answers.",
        "missing": "Please choose an answer.",
        "too_long": "Your text is too long. Please write at most {max} characters.",
        "token": "The form has expired or was already sent. Please fill it in again.",
        "rate": "Very many answers came from this connection just now. Please try again later.",
        "closed": "There is no survey at the moment. Thank you for your interest.",
        "unknown_language": "This language is not available here. Please choose a language from the list.",
        "thanks_title": "Thank you!",
        "thanks": "Your answers have been saved. You can close the page now.",
        "invitation": "Your opinion counts: please take part in our survey.",
        "we_did": "You said – we did",
    },
    "ar": {
        "title": "رأيك يهمنا",
        "intro": "نريد أن نتحسن. من فضلك أجب عن بعض الأسئلة القصيرة.",
        "anonymous": "الاستبيان مجهول الهوية. نحفظ فقط إجاباتك واليوم – بدون اسم، بدون عنوان IP، "
        "بدون ملفات تعريف الارتباط.",
        "language": "اللغة",
        "required": "سؤال إلزامي",
        "optional": "اختياري",
        "scale": ("جيد جدًا", "جيد", "متوسط", "سيئ", "سيئ جدًا"),
        "yes": "نعم",
        "no": "لا",
        "comment_hint": "من فضلك لا تكتب أسماء أو أرقام هواتف أو عناوين بريد إلكتروني.",
        "honeypot": "من فضلك اترك هذا الحقل فارغًا.",
        "submit": "إرسال الإجابات",
        "error_summary": "من فضلك راجع إجاباتك.",
        "missing": "من فضلك اختر إجابة.",
        "too_long": "النص طويل جدًا. من فضلك اكتب {max} حرفًا على الأكثر.",
        "token": "انتهت صلاحية النموذج أو تم إرساله من قبل. من فضلك املأه مرة أخرى.",
        "rate": "وصلت إجابات كثيرة جدًا من هذا الاتصال الآن. من فضلك حاول مرة أخرى لاحقًا.",
        "closed": "لا يوجد استبيان في الوقت الحالي. شكرًا لاهتمامك.",
        "unknown_language": "هذه اللغة غير متوفرة هنا. من فضلك اختر لغة من القائمة.",
        "thanks_title": "شكرًا جزيلًا!",
        "thanks": "تم حفظ إجاباتك. يمكنك إغلاق الصفحة الآن.",
        "invitation": "رأيك يهمنا: من فضلك شارك في استبياننا.",
        "we_did": "قلتم – ففعلنا",
    },
    "fa": {
        "title": "نظر شما مهم است",
        "intro": "ما می‌خواهیم بهتر شویم. لطفاً به چند سؤال کوتاه پاسخ دهید.",
        "anonymous": "این نظرسنجی بی‌نام است. ما فقط پاسخ‌های شما و روز را ذخیره می‌کنیم – بدون نام، "
        "بدون آدرس IP، بدون کوکی.",
        "language": "زبان",
        "required": "سؤال اجباری",
        "optional": "اختیاری",
        "scale": ("خیلی خوب", "خوب", "متوسط", "بد", "خیلی بد"),
        "yes": "بله",
        "no": "نه",
        "comment_hint": "لطفاً نام، شماره تلفن یا آدرس ایمیل ننویسید.",
        "honeypot": "لطفاً این قسمت را خالی بگذارید.",
        "submit": "ارسال پاسخ‌ها",
        "error_summary": "لطفاً پاسخ‌های خود را بررسی کنید.",
        "missing": "لطفاً یک پاسخ را انتخاب کنید.",
        "too_long": "متن شما خیلی طولانی است. لطفاً حداکثر {max} حرف بنویسید.",
        "token": "این فرم منقضی شده یا قبلاً ارسال شده است. لطفاً دوباره آن را پر کنید.",
        "rate": "همین حالا پاسخ‌های زیادی از این اتصال رسیده است. لطفاً بعداً دوباره امتحان کنید.",
        "closed": "در حال حاضر نظرسنجی‌ای وجود ندارد. از توجه شما سپاسگزاریم.",
        "unknown_language": "این زبان اینجا وجود ندارد. لطفاً زبانی را از فهرست انتخاب کنید.",
        "thanks_title": "بسیار سپاسگزاریم!",
        "thanks": "پاسخ‌های شما ذخیره شد. اکنون می‌توانید صفحه را ببندید.",
        "invitation": "نظر شما مهم است: لطفاً در نظرسنجی ما شرکت کنید.",
        "we_did": "شما گفتید – ما انجام دادیم",
    },
    "tr": {
        "title": "Görüşünüz bizim için önemli",
        "intro": "Daha iyi olmak istiyoruz. Lütfen birkaç kısa soruyu yanıtlayın.",
        "anonymous": "Anket anonimdir. Yalnızca yanıtlarınızı ve günü kaydediyoruz – isim yok, IP adresi "
        "yok, çerez yok.",
        "language": "Dil",
        "required": "zorunlu soru",
        "optional": "isteğe bağlı",
        "scale": ("çok iyi", "iyi", "orta", "kötü", "çok kötü"),
        "yes": "evet",
        "no": "hayır",
        "comment_hint": "Lütfen isim, telefon numarası veya e-posta adresi yazmayın.",
        "honeypot": "Lütfen bu alanı boş bırakın.",
        "submit": "Yanıtları gönder",
        "error_summary": "Lütfen yanıtlarınızı kontrol edin.",
        "missing": "Lütfen bir yanıt seçin.",
        "too_long": "Metniniz çok uzun. Lütfen en fazla {max} karakter yazın.",
        "token": "Formun süresi doldu veya form zaten gönderildi. Lütfen formu yeniden doldurun.",
        "rate": "Bu bağlantıdan az önce çok fazla yanıt geldi. Lütfen daha sonra tekrar deneyin.",
        "closed": "Şu anda bir anket yok. İlginiz için teşekkür ederiz.",
        "unknown_language": "Bu dil burada mevcut değil. Lütfen listeden bir dil seçin.",
        "thanks_title": "Çok teşekkürler!",
        "thanks": "Yanıtlarınız kaydedildi. Sayfayı şimdi kapatabilirsiniz.",
        "invitation": "Görüşünüz önemli: Lütfen anketimize katılın.",
        "we_did": "Siz söylediniz – biz yaptık",
    },
    "ru": {
        "title": "Ваше мнение важно",
        "intro": "Мы хотим стать лучше. Пожалуйста, ответьте на несколько коротких вопросов.",
        "anonymous": "Опрос анонимный. Мы сохраняем только ваши ответы и день – без имени, без IP-адреса, "
        "без cookie-файлов.",
        "language": "Язык",
        "required": "обязательный вопрос",
        "optional": "по желанию",
        "scale": ("очень хорошо", "хорошо", "средне", "плохо", "очень плохо"),
        "yes": "да",
        "no": "нет",
        "comment_hint": "Пожалуйста, не пишите имена, номера телефонов или адреса электронной почты.",
        "honeypot": "Пожалуйста, оставьте это поле пустым.",
        "submit": "Отправить ответы",
        "error_summary": "Пожалуйста, проверьте ваши ответы.",
        "missing": "Пожалуйста, выберите ответ.",
        "too_long": "Ваш текст слишком длинный. Пожалуйста, напишите не более {max} знаков.",
        "token": "Срок действия формы истёк, или она уже была отправлена. Пожалуйста, заполните её ещё раз.",
        "rate": "С этого подключения только что пришло очень много ответов. Пожалуйста, попробуйте позже.",
        "closed": "Сейчас опрос не проводится. Спасибо за ваш интерес.",
        "unknown_language": "Этого языка здесь нет. Пожалуйста, выберите язык из списка.",
        "thanks_title": "Большое спасибо!",
        "thanks": "Ваши ответы сохранены. Теперь вы можете закрыть страницу.",
        "invitation": "Ваше мнение важно: пожалуйста, примите участие в нашем опросе.",
        "we_did": "Вы сказали – мы сделали",
    },
    "uk": {
        "title": "Ваша думка важлива",
        "intro": "Ми хочемо стати кращими. Будь ласка, дайте відповідь на кілька коротких запитань.",
        "anonymous": "Опитування анонімне. Ми зберігаємо лише ваші відповіді та день – без імені, без "
        "IP-адреси, без файлів cookie.",
        "language": "Мова",
        "required": "обов'язкове запитання",
        "optional": "за бажанням",
        "scale": ("дуже добре", "добре", "середньо", "погано", "дуже погано"),
        "yes": "так",
        "no": "ні",
        "comment_hint": "Будь ласка, не пишіть імена, номери телефонів або адреси електронної пошти.",
        "honeypot": "Будь ласка, залиште це поле порожнім.",
        "submit": "Надіслати відповіді",
        "error_summary": "Будь ласка, перевірте свої відповіді.",
        "missing": "Будь ласка, виберіть відповідь.",
        "too_long": "Ваш текст задовгий. Будь ласка, напишіть не більше {max} знаків.",
        "token": "Термін дії форми минув, або її вже надіслали. Будь ласка, заповніть її ще раз.",
        "rate": "З цього підключення щойно надійшло дуже багато відповідей. Будь ласка, спробуйте пізніше.",
        "closed": "Зараз опитування не проводиться. Дякуємо за ваш інтерес.",
        "unknown_language": "Цієї мови тут немає. Будь ласка, виберіть мову зі списку.",
        "thanks_title": "Щиро дякуємо!",
        "thanks": "Ваші відповіді збережено. Тепер ви можете закрити сторінку.",
        "invitation": "Ваша думка важлива: будь ласка, візьміть участь у нашому опитуванні.",
        "we_did": "Ви сказали – ми зробили",
    },
    "fr": {
        "title": "Votre avis compte",
        "intro": "Nous voulons nous améliorer. Merci de répondre à quelques questions courtes.",
        "anonymous": "Le questionnaire est anonyme. Nous enregistrons seulement vos réponses et le jour – "
        "pas de nom, pas d'adresse IP, pas de cookies.",
        "language": "Langue",
        "required": "question obligatoire",
        "optional": "facultatif",
        "scale": ("très bien", "bien", "moyen", "mal", "très mal"),
        "yes": "oui",
        "no": "non",
        "comment_hint": "Merci de ne pas écrire de noms, de numéros de téléphone ni d'adresses e-mail.",
        "honeypot": "Merci de laisser ce champ vide.",
        "submit": "Envoyer les réponses",
        "error_summary": "Merci de vérifier vos réponses.",
        "missing": "Merci de choisir une réponse.",
        "too_long": "Votre texte est trop long. Merci d'écrire {max} caractères au maximum.",
        "token": "Le formulaire a expiré ou a déjà été envoyé. Merci de le remplir à nouveau.",
        "rate": "Beaucoup de réponses viennent d'arriver de cette connexion. Merci de réessayer plus tard.",
        "closed": "Il n'y a pas de questionnaire en ce moment. Merci de votre intérêt.",
        "unknown_language": "Cette langue n'est pas disponible ici. Merci de choisir une langue dans "
        "la liste.",
        "thanks_title": "Merci beaucoup !",
        "thanks": "Vos réponses sont enregistrées. Vous pouvez maintenant fermer la page.",
        "invitation": "Votre avis compte : merci de participer à notre questionnaire.",
        "we_did": "Vous avez dit – nous avons fait",
    },
}


def words(code: str) -> dict[str, object]:
    return WORDS.get(code, WORDS[DEFAULT_LANGUAGE])
