"""Scenario families about services: health, the gym, the bank, the post, repairs, the library."""

from random import Random

from labassets.scenarios.base import P1, P2, Family, S, maybe
from labassets.scenarios.pools import (
    FIRST_NAMES,
    WEEKDAYS,
    WORKDAYS,
    clock,
    date,
    doctor,
    full_name,
    money,
)

APPOINTMENT = Family(
    name="doctor's appointment",
    topics=("doctor's appointment", "making an appointment", "health"),
    slots={
        "patient": full_name,
        "doctor": doctor,
        "problem": ("a sore throat", "a bad cough", "back pain", "a skin rash",
                    "headaches", "an earache", "trouble sleeping", "a painful ankle"),
        "duration": ("three days", "a week", "two weeks", "a few days", "ten days"),
        "day": WORKDAYS,
        "time": clock(8, 17),
        "day2": WORKDAYS,
        "time2": clock(8, 17),
        "case": ("first", "second"),
    },
    turns=(
        P1("Hello, I'd like to make an appointment with {doctor}, please.",
           "Good morning. Can I book an appointment to see a doctor?",
           "Hi. I need to see a doctor this week."),
        P2("Of course. What's the problem?", "Certainly. Can you tell me what it's about?",
           "Sure. What seems to be the matter?"),
        P1("I've had {problem} for {duration}.",
           "I have {problem}, and it's not getting better.",
           "I've had {problem} for about {duration} now."),
        maybe(
            P2("Is it very painful?", "Do you have a temperature as well?"),
            P1("A little, yes.", "Not really, but it's worrying me.", "No, I don't think so."),
        ),
        P2("Can I have your name, please?", "And what's your name?"),
        P1("{patient}.", "It's {patient}."),
        P2("{doctor} can see you on {day} at {time}.",
           "The first free appointment is on {day} at {time}, with {doctor}."),
        P1("That's fine. Thank you.", "Perfect. I'll be there.", when="first"),
        P1("I'm afraid I'm at work then. Is there anything later?",
           "Sorry, I can't make that. Do you have anything else?", when="second"),
        P2("How about {day2} at {time2}?", "{day2} at {time2} is also free.", when="second"),
        P1("Yes, that works. Thanks.", "That's better. Thank you.", when="second"),
        maybe(P2("Please arrive ten minutes early.", "See you then. Goodbye."), p=0.4),
    ),
    gist=(
        "#Person1# calls to make a doctor's appointment because of {problem}.",
        "#Person1# wants to see a doctor about {problem}.",
        "#Person1#, {patient}, phones to book an appointment with a doctor.",
        "#Person1# asks #Person2# for an appointment with {doctor}.",
    ),
    details=(
        S("#Person2# books #Person1# in with {doctor} on {day} at {time}.",
          "The appointment is on {day} at {time} with {doctor}.",
          "#Person1# will see {doctor} on {day} at {time}.", when="first"),
        S("#Person1# cannot come on {day} at {time}, so #Person2# offers {day2} at {time2} "
          "instead.",
          "The first time does not suit #Person1#, so the appointment is on {day2} at {time2}.",
          "#Person1# will see {doctor} on {day2} at {time2}.", when="second"),
        S("#Person1# has had {problem} for {duration}.", p=0.4),
    ),
)

CONSULTATION = Family(
    name="seeing a doctor",
    topics=("seeing a doctor", "health", "illness"),
    slots={
        ("complaint", "diagnosis", "advice"): (
            ("a sore throat and a fever", "a throat infection", "take antibiotics for a week"),
            ("a bad cough", "a chest cold", "rest and drink plenty of water"),
            ("knee pain", "a sprained knee", "rest the knee and stop running for a while"),
            ("headaches every afternoon", "eye strain", "take regular breaks from the screen"),
            ("a stomach ache", "food poisoning", "eat plain food for a few days"),
            ("itchy eyes and a runny nose", "hay fever", "take an antihistamine every morning"),
            ("a painful shoulder", "a pulled muscle", "use an ice pack twice a day"),
        ),
        "since": ("for two days", "since Monday", "for a week", "for about three days",
                  "since the weekend"),
        "off": ("two", "three", "a couple of"),
        "followup": ("in a week", "next Friday", "in ten days", "in two weeks"),
    },
    turns=(
        P1("Good morning. What seems to be the problem?", "Hello, come in and sit down. "
           "How can I help?", "Hi there. What brings you here today?"),
        P2("I've had {complaint} {since}.", "I'm not feeling well. I've had {complaint} {since}.",
           "It's {complaint}, doctor. I've had it {since}."),
        P1("I see. Any other symptoms?", "I see. How do you feel otherwise?"),
        P2("I feel tired all the time.", "I'm a bit tired, but otherwise fine.",
           "Nothing else, really."),
        maybe(
            P1("Let me have a look. Does this hurt?", "Let me examine you. Tell me if it hurts."),
            P2("A little.", "Yes, a bit.", "Ouch, yes."),
        ),
        P1("It looks like {diagnosis}. Nothing serious.", "I think it's {diagnosis}.",
           "It's {diagnosis}, I'm fairly sure."),
        P2("What should I do?", "Do I need any medicine?", "Is there anything I can do?"),
        P1("You should {advice}.", "I'd like you to {advice}.",
           "The best thing is to {advice}. Come back {followup} if it doesn't get better."),
        maybe(
            P2("Should I stay at home?", "Can I go to work?"),
            P1("Stay at home for {off} days.", "Take {off} days off, and then you'll be fine."),
        ),
        P2("Thank you, doctor.", "Okay. Thanks a lot.", "I will. Thank you."),
    ),
    gist=(
        "#Person2# goes to the doctor with {complaint}.",
        "#Person2# tells #Person1#, a doctor, about {complaint}.",
        "#Person2# has had {complaint} {since} and sees #Person1#.",
        "#Person2# visits #Person1# because of {complaint}.",
    ),
    details=(
        S("#Person1# says it is {diagnosis} and tells #Person2# to {advice}.",
          "#Person1# thinks #Person2# has {diagnosis} and advises #Person2# to {advice}.",
          "It is {diagnosis}, so #Person1# tells #Person2# to {advice}."),
        S("#Person2# should stay at home for {off} days.",
          "#Person2# should come back {followup} if it does not get better.", p=0.6),
    ),
)

PHARMACY = Family(
    name="at the pharmacy",
    topics=("pharmacy", "medicine", "health"),
    slots={
        ("symptom", "medicine", "dose"): (
            ("a headache", "ibuprofen", "two tablets every six hours"),
            ("a cold", "cold and flu powder", "one sachet three times a day"),
            ("a dry cough", "cough syrup", "one spoonful before bed"),
            ("hay fever", "antihistamine tablets", "one tablet a day"),
            ("sunburn", "aloe vera gel", "a thin layer twice a day"),
            ("an upset stomach", "rehydration salts", "one sachet after each meal"),
            ("a sore throat", "throat lozenges", "one lozenge every three hours"),
        ),
        "since": ("yesterday", "this morning", "Sunday", "last night"),
        "price": money(4, 15, 1, cents=".99"),
        "days": ("three", "five", "two"),
    },
    turns=(
        P1("Hello. Do you have anything for {symptom}?",
           "Hi. Can you recommend something for {symptom}?",
           "Excuse me, I've got {symptom}. What can I take?"),
        P2("How long have you had it?", "Since when have you had it?"),
        P1("Since {since}.", "Only since {since}.", "I've had it since {since}."),
        maybe(
            P2("Are you taking any other medicine?", "Do you have any allergies?"),
            P1("No, nothing.", "No, I'm not.", "Not that I know of."),
        ),
        P2("I'd recommend {medicine}. Take {dose}.",
           "You could try {medicine}. The dose is {dose}.",
           "{medicine.cap} should help. Take {dose}."),
        P1("How much is it?", "How much does it cost?", "Great. What's the price?"),
        P2("{price}.", "It's {price}.", "That's {price}, please."),
        P1("Okay, I'll take it.", "Fine. Here you are.", "Thanks. I'll pay by card."),
        maybe(P2("If you don't feel better in {days} days, please see a doctor.",
                 "Here you go. See a doctor if it isn't better in {days} days.")),
    ),
    gist=(
        "#Person1# asks #Person2# for something for {symptom}.",
        "#Person1# has {symptom} and goes to the pharmacy.",
        "#Person1# needs medicine for {symptom}.",
        "#Person1# asks a pharmacist for help with {symptom}.",
    ),
    details=(
        S("#Person2# recommends {medicine} for {price} and tells #Person1# to take {dose}.",
          "#Person1# buys {medicine} for {price}.",
          "#Person2# suggests {medicine} for {price}."),
        S("#Person1# should see a doctor if it is not better in {days} days.",
          "#Person1# has had it since {since}.", p=0.5),
    ),
)

GYM = Family(
    name="gym membership",
    topics=("gym membership", "gym", "fitness"),
    slots={
        "gym": ("FitLife", "the Sports Centre", "PowerGym", "Body Works", "City Fitness"),
        "monthly": money(25, 60),
        "annual": money(250, 600, 50),
        "class": ("yoga", "spinning", "swimming", "boxing", "pilates", "dance"),
        "class_day": WEEKDAYS,
        "class_time": clock(17, 20, quarters=False),
        "hours": ("from 6 am to 10 pm", "24 hours a day", "from 7 am to 11 pm"),
        "case": ("monthly", "annual", "trial"),
    },
    turns=(
        P1("Hi. I'm interested in joining the gym.",
           "Hello. Could you tell me about membership at {gym}?",
           "Good afternoon. How much does it cost to join?"),
        P2("Sure. We have a monthly plan for {monthly} or a yearly plan for {annual}.",
           "Membership is {monthly} a month, or {annual} if you pay for the whole year."),
        P1("What's included?", "Does that include classes?", "What do I get for that?"),
        P2("You can use all the equipment, and {class} classes are free.",
           "Everything, including the pool and {class} classes."),
        maybe(
            P1("What are the opening hours?", "When are you open?"),
            P2("We're open {hours}.", "Every day, {hours}."),
            p=0.4,
        ),
        maybe(
            P1("When are the {class} classes?", "What time is the {class} class?"),
            P2("On {class_day} at {class_time}.", "Every {class_day} at {class_time}."),
            p=0.4,
        ),
        P1("I'll start with the monthly plan.", "I'd rather pay monthly.", when="monthly"),
        P1("The yearly plan is better value. I'll take that.",
           "I'll pay for the whole year, then.", when="annual"),
        P1("Can I try it before I decide?", "Is there a free trial?", when="trial"),
        P2("Yes, you can have a free trial week.",
           "Sure, the first week is free. You can decide after that.", when="trial"),
        P1("Great, I'll do that.", "Perfect. I'll start tomorrow.", when="trial"),
        P2("Great. Just fill in this form, please.", "Perfect. I'll need a photo ID to sign "
           "you up.", when="monthly"),
        P2("Great. Just fill in this form, please.", "Perfect. I'll need a photo ID to sign "
           "you up.", when="annual"),
    ),
    gist=(
        "#Person1# wants to join a gym.",
        "#Person1# asks #Person2# about gym membership.",
        "#Person1# is thinking of joining a gym and asks about the prices.",
        "#Person1# asks about membership at {gym}.",
    ),
    details=(
        S("#Person1# chooses the monthly plan for {monthly} instead of the yearly plan for "
          "{annual}.",
          "#Person1# signs up for {monthly} a month.", when="monthly"),
        S("#Person1# takes the yearly plan for {annual} rather than paying {monthly} a month.",
          "#Person1# pays {annual} for a whole year.", when="annual"),
        S("#Person1# decides to try a free week before paying {monthly} a month.",
          "Membership costs {monthly} a month, but #Person1# starts with a free trial week.",
          when="trial"),
        S("{class.cap} classes are included.", "The {class} classes are on {class_day} at "
          "{class_time}.", "The gym is open {hours}.", p=0.5),
    ),
)

BANK_ACCOUNT = Family(
    name="opening a bank account",
    topics=("bank account", "opening an account", "bank"),
    slots={
        "account": ("a current account", "a savings account", "a student account",
                    "a joint account", "a business account"),
        "docs": ("a passport and a utility bill", "an ID card and proof of address",
                 "a passport and a recent bank statement"),
        "fee": ("no monthly fee", "a monthly fee of $5", "a monthly fee of $3"),
        "deposit": money(50, 500, 50),
        "card": ("five", "seven", "ten"),
    },
    turns=(
        P1("Good morning. I'd like to open {account}.", "Hi. I want to open {account}, please.",
           "Hello. Can I open {account} here?"),
        P2("Certainly. Do you have some identification?", "Of course. I'll need {docs}.",
           "Sure. Have you brought {docs}?"),
        P1("Yes, here they are.", "I have my passport and a letter with my address.",
           "Yes, I brought everything."),
        P2("How much would you like to deposit today?", "Would you like to pay some money in?"),
        P1("{deposit}, please.", "Just {deposit} for now.", "I'll put in {deposit}."),
        P2("All done. Your card will arrive in {card} working days.",
           "Your bank card will be posted to you within {card} working days."),
        maybe(
            P1("Are there any fees?", "Does the account cost anything?"),
            P2("There's {fee}.", "It has {fee}."),
            p=0.6,
        ),
        maybe(
            P1("Can I use online banking?", "Is there an app?"),
            P2("Yes, you can download our app today.", "Yes, and you can log in right away."),
            p=0.4,
        ),
        P1("Thank you for your help.", "Great, thanks.", "Thanks very much."),
    ),
    gist=(
        "#Person1# opens {account} at the bank.",
        "#Person1# wants to open {account}.",
        "#Person1# asks #Person2# to open {account}.",
        "#Person1# goes to the bank to open {account}.",
    ),
    details=(
        S("#Person1# deposits {deposit}, and the card will arrive in {card} working days.",
          "#Person1# pays in {deposit} and will get a bank card within {card} working days.",
          "#Person1# puts in {deposit}, and #Person2# says the card will come in {card} "
          "working days."),
        S("The account has {fee}.", "#Person2# asks for {docs}.", p=0.6),
    ),
)


def loan_terms(r: Random) -> tuple[str, str, str, str]:
    """Amount, years, interest rate and a roughly matching monthly payment."""
    amount = r.randrange(5000, 30001, 1000)
    years = r.choice((3, 5, 7))
    rate = r.choice((4.5, 5.9, 6.5, 7.2))
    monthly = round(amount / (12 * years) * (1 + rate / 100 * years / 2))
    return f"${amount:,}", ("three", "five", "seven")[(years - 3) // 2], f"{rate}%", f"${monthly}"


LOAN = Family(
    name="bank loan",
    topics=("bank loan", "loan", "bank"),
    slots={
        ("amount", "years", "rate", "monthly"): loan_terms,
        "purpose": ("buy a car", "start a small business", "renovate the kitchen",
                    "pay for a master's degree", "buy new equipment for the shop"),
        "day": WORKDAYS,
        "days": ("three", "five", "two"),
        "case": ("approved", "payslips"),
    },
    turns=(
        P1("Good afternoon. I'd like to ask about a loan.", "Hello. I'm thinking of taking out "
           "a loan.", "Hi. Could you tell me about personal loans?"),
        P2("Of course. How much do you need to borrow?", "Certainly. How much are you looking "
           "for?"),
        P1("About {amount}.", "{amount}, if possible.", "Around {amount}, I think."),
        P2("And what is it for?", "What will you use the money for?"),
        P1("I want to {purpose}.", "To {purpose}.", "I'm planning to {purpose}."),
        P2("Our rate is {rate} at the moment. Over {years} years, you would pay about "
           "{monthly} a month.",
           "The current rate is {rate}, so over {years} years it's about {monthly} a month."),
        maybe(
            P1("Is that a fixed rate?", "Will the rate change?"),
            P2("It stays the same for the whole loan.", "No, it's fixed for the whole term."),
        ),
        P1("That sounds fine. What's the next step?", "Okay. What do I need to do?"),
        P2("With your salary, that's no problem. The money will be in your account by {day}.",
           "I can approve it now. You'll have the money by {day}.", when="approved"),
        P1("Wonderful, thank you.", "That's great news. Thanks.", when="approved"),
        P2("Please bring your last three payslips, and we'll decide within {days} days.",
           "I'll need your last three payslips first. Then it takes {days} days.",
           when="payslips"),
        P1("Okay, I'll bring them on {day}.", "No problem. I can come back on {day}.",
           when="payslips"),
    ),
    gist=(
        "#Person1# wants to borrow {amount} to {purpose}.",
        "#Person1# asks #Person2# about a loan of {amount}.",
        "#Person1# applies for a bank loan of {amount}.",
        "#Person1# needs a loan to {purpose}.",
    ),
    details=(
        S("The rate is {rate}, so #Person1# would pay about {monthly} a month for {years} years.",
          "#Person2# offers a rate of {rate}, which means about {monthly} a month over {years} "
          "years."),
        S("The loan is approved, and the money will arrive by {day}.",
          "#Person2# approves it, and #Person1# will get the money by {day}.", when="approved"),
        S("#Person1# has to bring three payslips first and will come back on {day}.",
          "Before a decision, #Person1# must bring three payslips, which #Person1# will do on "
          "{day}.", when="payslips"),
    ),
)

POST_OFFICE = Family(
    name="at the post office",
    topics=("post office", "sending a parcel", "post"),
    slots={
        "country": ("Canada", "Japan", "Spain", "Australia", "Brazil", "Germany", "India",
                    "Italy", "Mexico", "Norway"),
        "contents": ("some books", "clothes for a baby", "birthday presents", "some old photos",
                     "a pair of boots", "homemade biscuits", "a few toys"),
        "weight": ("two kilos", "800 grams", "1.5 kilos", "three kilos", "500 grams"),
        "std": money(8, 30, 1, cents=".50"),
        "std_days": ("five to seven", "seven to ten", "eight to twelve"),
        "exp": money(35, 70, 1, cents=".50"),
        "exp_days": ("two", "three"),
        "case": ("standard", "express"),
    },
    turns=(
        P1("Hi. I'd like to send this parcel to {country}.",
           "Good morning. How much is it to send a parcel to {country}?",
           "Hello. This needs to go to {country}, please."),
        P2("Sure. What's inside?", "Of course. What does it contain?"),
        P1("{contents.cap}.", "Just {contents}.", "It's {contents}."),
        P2("Let me weigh it. It's {weight}. Standard post is {std}, or {exp} by express.",
           "It weighs {weight}. That's {std} by standard post or {exp} by express."),
        P1("How long does standard post take?", "How long will it take?"),
        P2("About {std_days} days. Express takes {exp_days} days.",
           "Standard takes {std_days} days, and express only {exp_days}."),
        P1("I'm not in a hurry. Standard, please.", "Standard is fine, thanks.",
           when="standard"),
        P1("It's a birthday present, so express, please.", "I'll send it express, then.",
           when="express"),
        maybe(
            P2("Would you like a tracking number?", "Do you want insurance on it?"),
            P1("Yes, please.", "No, thanks."),
        ),
        P2("That's {std}, please.", "Okay, {std} then.", when="standard"),
        P2("That's {exp}, please.", "Okay, {exp} then.", when="express"),
    ),
    gist=(
        "#Person1# wants to send a parcel to {country}.",
        "#Person1# is posting a parcel with {contents} to {country}.",
        "#Person1# asks #Person2# how much it costs to send a parcel to {country}.",
        "#Person1# sends {contents} to {country} by post.",
    ),
    details=(
        S("#Person1# chooses standard post for {std}, which takes about {std_days} days.",
          "It weighs {weight}, and #Person1# sends it by standard post for {std}.",
          when="standard"),
        S("#Person1# pays {exp} to send it by express, so it arrives in {exp_days} days.",
          "#Person1# chooses express for {exp} instead of standard post for {std}.",
          when="express"),
        S("The parcel weighs {weight}.", "It contains {contents}.", p=0.4),
    ),
)

CAR_REPAIR = Family(
    name="car repair",
    topics=("car repair", "garage", "car problem"),
    slots={
        ("problem", "fix", "cost"): (
            ("the brakes are making a noise", "new brake pads", "$180"),
            ("the engine warning light is on", "a new sensor", "$95"),
            ("it won't start in the morning", "a new battery", "$120"),
            ("the air conditioning isn't working", "a new air conditioning filter", "$80"),
            ("there's a strange noise from the engine", "a new fan belt", "$65"),
            ("one of the headlights is broken", "a new headlight", "$70"),
        ),
        "since": ("last week", "Monday", "yesterday", "the weekend"),
        "ready": clock(15, 18),
        "day": WORKDAYS,
        "phone": ("555-0110", "555-0156", "555-0189", "555-0134"),
        "case": ("today", "part"),
    },
    turns=(
        P1("Hi. Could you have a look at my car? {problem.cap}.",
           "Good morning. Something's wrong with my car. {problem.cap}.",
           "Hello. I think my car needs a repair. {problem.cap}."),
        P2("When did it start?", "How long has that been happening?"),
        P1("Since {since}.", "Since {since}, I think.", "It's been like that since {since}."),
        P2("Let me check. It needs {fix}.", "I've had a look. You need {fix}.",
           "Okay, I see the problem. It needs {fix}."),
        P1("How much will that cost?", "Is it expensive?", "What will that cost me?"),
        P2("About {cost}, including labour.", "Around {cost}, parts and labour.",
           "It'll be about {cost}."),
        P1("Fine. When will it be ready?", "Okay, go ahead. When can I pick it up?"),
        P2("By {ready} today.", "It'll be ready at {ready} this afternoon.", when="today"),
        P2("We have to order the part, so it'll be {day}.",
           "The part isn't in stock. It should be ready on {day}.", when="part"),
        maybe(
            P1("Can you call me when it's done?", "Will you let me know when it's finished?"),
            P2("Of course. What's your number?", "Sure. Leave me your number."),
            P1("It's {phone}.", "{phone}. Thanks."),
        ),
    ),
    gist=(
        "#Person1# takes the car to #Person2# because {problem}.",
        "#Person1# asks #Person2# to check the car because {problem}.",
        "#Person1# brings the car to a garage because {problem}.",
        "#Person1# has had a problem with the car since {since}: {problem}.",
    ),
    details=(
        S("#Person2# says it needs {fix}, which will cost about {cost}.",
          "The car needs {fix} for about {cost}.",
          "The repair is {fix} and costs about {cost}."),
        S("It will be ready by {ready} today.", "#Person1# can pick it up at {ready}.",
          when="today"),
        S("The part has to be ordered, so the car will be ready on {day}.",
          "#Person2# must order the part, and the car will be ready on {day}.", when="part"),
    ),
)

HAIRCUT = Family(
    name="haircut",
    topics=("haircut", "hairdresser", "haircut"),
    slots={
        "stylist": FIRST_NAMES,
        "style": ("just a trim", "a short cut", "a bob", "some layers", "a fringe",
                  "a shorter style"),
        "length": ("two centimetres", "three centimetres", "five centimetres",
                   "one centimetre"),
        "price": money(20, 70, 5),
        "event": ("a wedding", "a job interview", "a birthday party", "a concert",
                  "a school reunion"),
        "day": WEEKDAYS,
    },
    turns=(
        P1("Hello, I'm {stylist}. What are we doing today?", "Hi, take a seat. What would you "
           "like?", "Good morning. How would you like your hair?"),
        P2("{style.cap}, please.", "I'd like {style}.", "I was thinking of {style}."),
        P1("How much should I take off?", "How much shorter do you want it?"),
        P2("About {length}.", "Not too much. Maybe {length}."),
        maybe(
            P1("Shall I wash it first?", "Would you like me to wash it first?"),
            P2("Yes, please.", "No, thanks. I washed it this morning."),
        ),
        maybe(
            P1("Any special plans this week?", "Are you doing anything nice this week?"),
            P2("I'm going to {event} on {day}.", "Yes, I've got {event} on {day}."),
        ),
        P1("All done. What do you think?", "There you go. How's that?"),
        P2("It looks great. How much is it?", "I love it. What do I owe you?"),
        P1("{price}, please.", "That's {price}.", "It's {price}."),
    ),
    gist=(
        "#Person2# wants {style} at the hairdresser's.",
        "#Person2# goes to the hairdresser and asks for {style}.",
        "#Person1# cuts #Person2#'s hair and #Person2# asks for {style}.",
        "#Person2# has a haircut with {stylist} and wants {style}.",
    ),
    details=(
        S("#Person1# takes off about {length}, and it costs {price}.",
          "#Person2# is happy with the result and pays {price}.",
          "The haircut costs {price}, and #Person2# likes it."),
        S("#Person2# is going to {event} on {day}.", p=0.7),
    ),
)

LIBRARY = Family(
    name="at the library",
    topics=("library", "borrowing books", "library"),
    slots={
        ("title", "section"): (
            ("The Silent River", "fiction"), ("A History of Tea", "history"),
            ("Cooking for Beginners", "cookery"), ("The Last Summer", "fiction"),
            ("Stars and Planets", "science"), ("The Blue Garden", "gardening"),
            ("Letters from Oslo", "travel"), ("The Quiet Engineer", "biography"),
        ),
        "floor": ("first", "second", "third"),
        "due": date,
        "fine": ("20 cents", "50 cents", "a dollar"),
        "author": full_name,
        "case": ("available", "on_loan"),
    },
    turns=(
        P1("Hi. I'm looking for a book called {title}.", "Excuse me. Do you have {title}?",
           "Hello. Could you help me find {title}?"),
        maybe(
            P2("Do you know who wrote it?", "Who is the author?"),
            P1("{author}, I think.", "It's by {author}."),
            p=0.4,
        ),
        P2("Let me check. Yes, it's in the {section} section on the {floor} floor.",
           "One moment. Yes, we have it. Try the {section} shelves on the {floor} floor.",
           when="available"),
        P1("Great. How long can I keep it?", "Thanks. How long can I borrow it for?",
           when="available"),
        P2("Of course. It's due back on {due}.", "Until {due}.", when="available"),
        maybe(
            P1("What happens if I return it late?", "Is there a fine if it's late?",
               when="available"),
            P2("The fine is {fine} a day.", "It's {fine} for each day.", when="available"),
            p=0.6,
        ),
        P2("Let me check. I'm sorry, it's out at the moment. It's due back on {due}.",
           "One moment. Someone has borrowed it until {due}.", when="on_loan"),
        P1("Can I reserve it?", "Could you keep it for me when it comes back?", when="on_loan"),
        P2("Sure. We'll send you an email when it's back.", "Yes, I've reserved it for you.",
           when="on_loan"),
        P1("Thank you very much.", "Thanks for your help.", "Great, thanks."),
        maybe(P2("You're welcome.", "No problem. Have a nice day.")),
    ),
    gist=(
        "#Person1# wants to borrow {title} from the library.",
        "#Person1# asks #Person2# for a book called {title}.",
        "#Person1# is looking for {title} in the library.",
        "#Person1# asks the librarian about {title}.",
        "#Person1# wants {title} by {author}.",
    ),
    details=(
        S("The book is in the {section} section, and #Person1# borrows it until {due}.",
          "#Person1# finds it in the {section} section and can keep it until {due}.",
          when="available"),
        S("Late returns cost {fine} a day.", "#Person2# says the fine is {fine} a day.",
          when="available", p=0.6),
        S("The book is out until {due}, so #Person1# reserves it.",
          "#Person2# reserves it for #Person1# because it is on loan until {due}.",
          when="on_loan"),
    ),
)

FAMILIES = (APPOINTMENT, CONSULTATION, PHARMACY, GYM, BANK_ACCOUNT, LOAN, POST_OFFICE,
            CAR_REPAIR, HAIRCUT, LIBRARY)
