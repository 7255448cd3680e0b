"""Scenario families about work and study: interviews, offers, homework, courses, IT, meetings."""

from random import Random

from labassets.scenarios.base import P1, P2, Family, S, maybe
from labassets.scenarios.pools import (
    FIRST_NAMES,
    SURNAMES,
    WORKDAYS,
    clock,
    date,
    number,
    person,
)

COMPANIES = ("Brightway", "Northstar Media", "Green Leaf Foods", "Atlas Software",
             "Blue Harbour Hotels", "Redwood Logistics", "Sunrise Travel")
POSITIONS = ("sales assistant", "marketing assistant", "junior accountant", "software developer",
             "receptionist", "graphic designer", "office manager", "data analyst")

INTERVIEW = Family(
    name="job interview",
    topics=("job interview", "interview", "job application"),
    slots={
        "company": COMPANIES,
        "position": POSITIONS,
        "previous": ("a small bakery", "a travel agency", "a bank", "a local newspaper",
                     "an online shop", "a language school", "a hospital"),
        "years": ("two", "three", "four", "five"),
        ("strength_said", "strength"): (
            ("I'm very organised, and I never miss a deadline", "is very organised"),
            ("I work well in a team", "works well in a team"),
            ("I learn new things quickly", "learns quickly"),
            ("I'm good with customers", "is good with customers"),
            ("I stay calm under pressure", "stays calm under pressure"),
        ),
        "salary": ("$32,000", "$38,000", "$45,000", "$52,000", "$60,000"),
        "day": WORKDAYS,
        "case": ("wait", "second"),
    },
    turns=(
        P1("Good morning. Please have a seat. So you're applying for the {position} job?",
           "Hello, thanks for coming in. This interview is for the position of {position}.",
           "Welcome to {company}. Let's talk about the {position} position."),
        P2("Yes. Thank you for inviting me.", "That's right. I'm very interested in the job.",
           "Thank you. I'm glad to be here."),
        P1("Tell me about your experience.", "What experience do you have?",
           "Could you tell me about your last job?"),
        P2("I worked as {position.a} at {previous} for {years} years.",
           "I spent {years} years at {previous}, doing similar work."),
        P1("Why do you want this job?", "Why are you interested in this position?",
           "Why would you like to join us?"),
        P2("I'm looking for more responsibility.", "I'd like to work for a bigger company.",
           "Your company has a great reputation, and I want to grow."),
        P1("What would you say is your greatest strength?", "What are your strengths?"),
        P2("{strength_said}.", "I think {strength_said}."),
        maybe(
            P1("What salary are you expecting?", "What are your salary expectations?"),
            P2("Around {salary} a year.", "I was hoping for about {salary} a year."),
        ),
        P1("Thank you. We'll let you know by {day}.",
           "Thanks for coming. You'll hear from us by {day}.", when="wait"),
        P2("Thank you for your time.", "Thank you. I look forward to hearing from you.",
           when="wait"),
        P1("I'm impressed. Could you come back for a second interview on {day}?",
           "Thank you. We'd like to see you again on {day} for a second interview.",
           when="second"),
        P2("Of course. I'd be happy to.", "Certainly. Thank you very much.", when="second"),
    ),
    gist=(
        "#Person2# has a job interview for the position of {position}.",
        "#Person1# interviews #Person2# for a job as {position.a}.",
        "#Person2# applies for the {position} job at {company}.",
        "#Person2# is interviewed by #Person1# for the {position} job.",
    ),
    restates={"strength": "strength_said"},
    details=(
        S("#Person2# worked at {previous} for {years} years and says that #Person2# {strength}.",
          "#Person2# has {years} years of experience at {previous}.",
          "#Person2# talks about {years} years at {previous} and expects {salary} a year."),
        S("#Person1# will give an answer by {day}.", "#Person2# will hear the result by {day}.",
          when="wait"),
        S("#Person1# invites #Person2# to a second interview on {day}.",
          "#Person2# is asked to come back for a second interview on {day}.", when="second"),
    ),
)


def salary_talk(r: Random) -> tuple[str, str, str, str]:
    """Outcome of a salary negotiation: case, first offer, the amount asked, the final salary."""
    offer = r.randrange(30, 61) * 1000
    ask = offer + r.choice((3000, 4000, 5000, 6000))
    case = r.choice(("agree", "middle", "holiday"))
    final = {"agree": ask, "middle": (offer + ask) // 2 // 500 * 500, "holiday": offer}[case]
    return case, f"${offer:,}", f"${ask:,}", f"${final:,}"


JOB_OFFER = Family(
    name="job offer negotiation",
    topics=("job offer", "salary negotiation", "job offer"),
    slots={
        "name": FIRST_NAMES,
        "company": COMPANIES,
        "position": POSITIONS,
        ("case", "offer", "ask", "final"): salary_talk,
        "start": date,
    },
    turns=(
        P1("Hello, {name}. I'm calling from {company}. We'd like to offer you the job of "
           "{position}.",
           "Hi {name}, good news! We'd like you to join {company} as {position.a}.",
           "Good afternoon, {name}. {company} would like to offer you the {position} "
           "position."),
        P2("That's wonderful! Thank you.", "Oh, great! I'm really pleased.",
           "Thank you so much. That's great news."),
        P1("The starting salary is {offer} a year, and you'd start on {start}.",
           "We're offering {offer} a year. Could you start on {start}?"),
        P2("Thank you. To be honest, I was hoping for {ask}.",
           "Is there any room to negotiate? I was expecting about {ask}.",
           "Could you go up to {ask}? That's what I earn now."),
        P1("I think we can do {ask}, given your experience.",
           "Let me check. Yes, {ask} is possible.", when="agree"),
        P1("I can't go that high, but I could offer {final}.",
           "How about we meet in the middle at {final}?", when="middle"),
        P1("I'm afraid the salary is fixed, but we could give you five extra days of holiday.",
           "The salary can't change, but I can offer five more days off a year.",
           when="holiday"),
        P2("Then I accept. Thank you!", "Great, I accept the offer.", when="agree"),
        P2("{final} is fair. I accept.", "Okay, {final} works for me.", when="middle"),
        P2("That sounds good. I accept.", "Extra holiday is nice. Okay, I accept.",
           when="holiday"),
        maybe(
            P1("Do you have any other questions?", "Is there anything else you'd like to know?"),
            P2("Can I work from home sometimes?", "Will I get a laptop?"),
            P1("Yes, we can talk about that on your first day.", "Yes, of course."),
        ),
    ),
    gist=(
        "{company} offers #Person2# a job as {position.a}.",
        "#Person1# calls #Person2# to offer the {position} job.",
        "#Person2# is offered the position of {position} and negotiates the salary.",
        "#Person1# offers {name} a job at {company}.",
    ),
    details=(
        S("#Person2# asks for {ask} instead of {offer}, and #Person1# agrees.",
          "#Person1# first offers {offer}, but #Person2# gets {ask}.", when="agree"),
        S("#Person2# wants {ask} instead of {offer}, and they agree on {final}.",
          "#Person1# offers {offer}, #Person2# asks for {ask}, and they settle on {final}.",
          when="middle"),
        S("#Person2# asks for {ask}, but the salary stays at {offer} with five extra days of "
          "holiday.",
          "Instead of raising the salary of {offer}, #Person1# offers five more days off, and "
          "#Person2# accepts.", when="holiday"),
        S("#Person2# will start on {start}.", "The job starts on {start}.", p=0.5),
    ),
)

HOMEWORK = Family(
    name="help with homework",
    topics=("homework", "school", "study"),
    slots={
        "friend": FIRST_NAMES,
        "task": ("the maths exercises", "the chemistry lab report", "the history essay",
                 "the French grammar exercises", "the physics questions", "the biology poster",
                 "the geography project"),
        "due": WORKDAYS,
        "teacher": person(title=True),
        "place": ("in the library", "at the cafe near school", "in the study room",
                  "in the school canteen"),
        "time": clock(15, 19, quarters=False),
        "day": WORKDAYS,
        "case": ("help", "busy"),
    },
    turns=(
        P1("{friend}, could you help me with {task}?", "Hi {friend}. Can you help me with {task}?",
           "I'm stuck on {task}. Have you done yours yet?"),
        P2("Sure. What's the problem?", "Of course. Which part are you stuck on?",
           "I'll try. What's wrong?"),
        P1("I don't understand the second half at all.",
           "I can't even start, and it's due on {due}.",
           "I've read the instructions three times and I still don't get it."),
        maybe(
            P2("Did you ask {teacher}?", "Have you talked to {teacher} about it?", when="help"),
            P1("Yes, but it didn't help.", "Not yet. I was too embarrassed.", when="help"),
        ),
        P2("Let's go through it together. How about meeting {place} at {time}?",
           "I can explain it to you. Meet me {place} at {time}.", when="help"),
        P1("Thank you so much! See you there.", "You're a lifesaver. See you at {time}.",
           when="help"),
        P2("Sorry, I have football practice every day this week. But {teacher} helps students "
           "after class on {day}.",
           "I'm really busy this week, sorry. Why don't you see {teacher} on {day}?",
           when="busy"),
        P1("Okay, I'll go and ask {teacher} then.", "Good idea. I'll do that.", when="busy"),
        maybe(P2("Good luck!", "Don't worry, it's easier than it looks.")),
    ),
    gist=(
        "#Person1# is stuck on {task} and asks #Person2# for help.",
        "#Person1# can't do {task} and asks #Person2# to help.",
        "#Person1# wants #Person2# to explain {task}.",
        "#Person1# asks {friend} for help with {task}.",
    ),
    details=(
        S("#Person2# agrees to explain it {place} at {time}.",
          "They will meet {place} at {time} to go through it together.", when="help"),
        S("#Person2# is busy, so #Person1# will ask {teacher} for help on {day}.",
          "#Person2# cannot help and suggests asking {teacher} on {day}.", when="busy"),
        S("The homework is due on {due}.", "It has to be handed in on {due}.", p=0.6),
    ),
)

def professor(r: Random) -> str:
    """A lecturer's name such as "Professor Kim"."""
    return f"Professor {r.choice(SURNAMES)}"


COURSE_REGISTRATION = Family(
    name="university course registration",
    topics=("course registration", "university", "registration"),
    slots={
        "course": ("Introduction to Economics", "Modern European History", "Creative Writing",
                   "Statistics for Beginners", "Environmental Science", "Spanish for Beginners",
                   "Philosophy of Science", "Marketing Basics"),
        "student_id": ("S20417", "S31958", "S18722", "S40063", "S27391", "S35540"),
        "days": ("Mondays and Wednesdays", "Tuesdays and Thursdays", "Fridays"),
        "time": clock(9, 16, quarters=False),
        "credits": ("three", "four", "six"),
        "waitpos": number(2, 9),
        "lecturer": professor,
        "date": date,
        "case": ("registered", "registered", "waitlist"),
    },
    turns=(
        P1("Hi. I'd like to register for {course}.",
           "Excuse me, is this where I sign up for courses? I want to take {course}.",
           "Hello. Is there still space in {course}?"),
        P2("Sure. What's your student number?", "Let me see. Can I have your student ID?"),
        P1("It's {student_id}.", "{student_id}.", "Here's my card. It's {student_id}."),
        P2("You're lucky. There are a few places left. It meets on {days} at {time}.",
           "Yes, there's space. The class is on {days} at {time}.", when="registered"),
        P1("Perfect, that fits my timetable. How many credits is it?",
           "Great. How many credits is it worth?", when="registered"),
        P2("{credits.cap} credits. You're registered now.",
           "It's {credits} credits. I've added you to the list.", when="registered"),
        P2("I'm sorry, {course} is full. I can put you on the waiting list.",
           "Unfortunately, it's full. Would you like to join the waiting list?",
           when="waitlist"),
        P1("Yes, please. What number am I?", "Okay. How many people are ahead of me?",
           when="waitlist"),
        P2("You're number {waitpos}. We'll email you by {date}.",
           "You're number {waitpos} on the list. You'll hear from us by {date}.",
           when="waitlist"),
        maybe(
            P1("Who teaches it?", "Do you know who the lecturer is?"),
            P2("{lecturer}. The students love the class.", "It's {lecturer} this year."),
            p=0.4,
        ),
        P1("Thanks a lot.", "Thank you for your help.", "Great, thanks."),
    ),
    gist=(
        "#Person1# wants to register for {course}.",
        "#Person1# asks #Person2# to sign up for {course}.",
        "#Person1# tries to enrol in {course}.",
        "#Person1# wants to take {course} this term.",
    ),
    details=(
        S("#Person1# gets a place on the course, which meets on {days} at {time}.",
          "#Person2# registers #Person1# for the class on {days} at {time}.",
          "The course is on {days} at {time}, and #Person1# gets a place.", when="registered"),
        S("The course is worth {credits} credits.", "It is a {credits}-credit course.",
          when="registered", p=0.5),
        S("The course is full, so #Person1# is number {waitpos} on the waiting list.",
          "#Person2# puts #Person1# on the waiting list as number {waitpos}.", when="waitlist"),
        S("#Person1# will get an email by {date}.", when="waitlist", p=0.6),
        S("The course is taught by {lecturer}.", p=0.5),
    ),
)


def ticket(r: Random) -> str:
    """A help desk ticket number such as "IT-4821"."""
    return f"IT-{r.randint(1000, 9999)}"


HELP_DESK = Family(
    name="IT help desk",
    topics=("it help desk", "computer problem", "technical support"),
    slots={
        "agent": FIRST_NAMES,
        ("said", "issue", "cause", "fix_said", "fix"): (
            ("I can't log in to my email.", "cannot log in to email",
             "the password has expired", "I'll reset it and text you a new one.",
             "resets the password"),
            ("My laptop is really slow today.", "has a very slow laptop",
             "a big update is running in the background",
             "Let it finish, then restart the laptop.", "tells #Person1# to restart after the "
             "update"),
            ("The printer won't print anything.", "cannot print anything",
             "there is a paper jam in tray two", "Open tray two and take out the paper.",
             "explains how to clear the jam"),
            ("I can't connect to the Wi-Fi.", "cannot connect to the Wi-Fi",
             "the laptop is not registered on the new network",
             "I'll add it now. Try again in five minutes.", "registers the laptop"),
            ("I deleted a file by mistake.", "has deleted a file by mistake",
             "there is a backup from last night", "I'll restore it from the backup for you.",
             "restores the deleted file"),
        ),
        "pc": ("PC-2231", "PC-1478", "LT-0912", "LT-3305", "PC-5520"),
        "ticket": ticket,
        "minutes": ("five", "ten", "fifteen", "twenty"),
    },
    turns=(
        P1("Hi, is this the IT help desk? {said}", "Hello. I have a problem. {said}",
           "Good morning. {said} Can you help?"),
        P2("Hello, this is {agent}. What's the number on your computer? It's on a sticker.",
           "Sure, I can help. Can you read me the number on the sticker on your computer?"),
        P1("It's {pc}.", "Just a second. It's {pc}."),
        P2("Thanks. Let me check. I see, {cause}.", "One moment. Okay, I found it. "
           "{cause.cap}."),
        P1("Can you fix it?", "What should I do?", "Is that easy to fix?"),
        P2("{fix_said}", "No problem. {fix_said}"),
        maybe(
            P1("How long will it take?", "Will it take long?"),
            P2("About {minutes} minutes.", "Only {minutes} minutes or so."),
        ),
        P1("Thank you, {agent}.", "Great, thanks for your help.", "Thanks a lot."),
        maybe(P2("You're welcome. Your ticket number is {ticket}, in case it happens again.",
                 "No problem. If it happens again, quote ticket {ticket}.")),
    ),
    gist=(
        "#Person1# calls the help desk because #Person1# {issue}.",
        "#Person1# {issue} and asks {agent} for help.",
        "#Person1# asks #Person2# from technical support for help because #Person1# {issue}.",
        "#Person1# {issue} and phones the help desk.",
    ),
    restates={"issue": "said", "fix": "fix_said"},
    details=(
        S("#Person2# finds that {cause} and {fix}.",
          "#Person2# checks {pc} and {fix}."),
        S("The ticket number is {ticket}.", "It will take about {minutes} minutes.", p=0.5),
    ),
)

MEETING = Family(
    name="arranging a meeting",
    topics=("meeting", "work", "scheduling a meeting"),
    slots={
        "colleague": FIRST_NAMES,
        "subject": ("the new budget", "the summer campaign", "the website redesign",
                    "the client presentation", "next year's plans", "the sales figures"),
        "day1": WORKDAYS,
        "time1": clock(9, 16, quarters=False),
        "day2": WORKDAYS,
        "time2": clock(9, 16, quarters=False),
        "room": ("meeting room 3", "the small conference room", "room 12B", "the boardroom"),
        "boss": person(title=True),
        "case": ("first", "second"),
    },
    turns=(
        P1("{colleague}, do you have a minute? We need to meet about {subject}.",
           "Hi {colleague}. When are you free to talk about {subject}?",
           "Can we set up a meeting about {subject} this week?"),
        P2("Sure. What about {day1} at {time1}?", "I'm free on {day1} at {time1}.",
           "Let me look at my calendar. {day1} at {time1} is free."),
        P1("That works for me. Let's use {room}.", "Perfect. I'll book {room}.", when="first"),
        P2("Great, I'll send everyone an invitation.", "Good. See you then.", when="first"),
        P1("Sorry, I have a training session then. How about {day2} at {time2}?",
           "I'm out of the office then. Could we do {day2} at {time2}?", when="second"),
        P2("That's fine. I'll book {room}.", "Okay. Let's meet in {room}.", when="second"),
        maybe(
            P1("Should we invite {boss}?", "Do you think {boss} should come?"),
            P2("Yes, {boss} needs to see the numbers.", "Good idea. I'll ask {boss}."),
        ),
        maybe(
            P1("Can you bring the latest figures?", "Could you prepare a few slides?"),
            P2("Of course.", "Sure, no problem."),
            p=0.4,
        ),
    ),
    gist=(
        "#Person1# wants to arrange a meeting with #Person2# about {subject}.",
        "#Person1# and {colleague} plan a meeting about {subject}.",
        "#Person1# asks #Person2# when they can meet to discuss {subject}.",
        "#Person1# sets up a meeting about {subject}.",
    ),
    details=(
        S("They agree to meet on {day1} at {time1} in {room}.",
          "#Person2# suggests {day1} at {time1}, which suits #Person1#, and they will use "
          "{room}.", when="first"),
        S("#Person1# cannot make {day1} at {time1}, so they meet on {day2} at {time2} in {room}.",
          "They settle on {day2} at {time2} in {room}.", when="second"),
        S("{boss} will also be invited.", "They decide to invite {boss} too.", p=0.6),
    ),
)

FAMILIES = (INTERVIEW, JOB_OFFER, HOMEWORK, COURSE_REGISTRATION, HELP_DESK, MEETING)
