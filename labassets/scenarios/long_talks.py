"""Long conversations: the corpus's long tail (DialogSum has dialogues of 250 to over 600 words).

A long talk is one conversation between the same two people that covers several matters:
a friend calling to hear another's news, or a manager going through the week with a
colleague. The generator (``labassets.corpus``) picks matters until the dialogue reaches a
target length. In every matter ``P1`` asks and ``P2`` tells, and every path through a matter
has an even number of turns, so that turns keep alternating from one matter to the next. A
matter's ``facts`` are observer sentences about what ``#Person2#`` told.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from labassets.scenarios.base import P1, P2, Maybe, Turn, maybe
from labassets.scenarios.pools import (
    CITIES,
    FIRST_NAMES,
    MONTHS,
    STREETS,
    WEEKDAYS,
    clock,
    date,
    money,
    words,
)


@dataclass(frozen=True)
class Matter:
    """One matter of a long talk: its slots, its turns, and the sentences that state it."""

    label: str
    """What the matter is about, for the summary's list ("a new job")."""
    slots: Mapping
    turns: tuple[Turn | Maybe, ...]
    facts: tuple[str, ...]


@dataclass(frozen=True)
class LongTalk:
    """A kind of long conversation: an opening, matters to choose from, a closing."""

    name: str
    topics: tuple[str, ...]
    slots: Mapping
    opening: tuple[Turn | Maybe, ...]
    matters: tuple[Matter, ...]
    closing: tuple[Turn | Maybe, ...]
    gist: tuple[str, ...]
    outcome: tuple[str, ...]


COMPANIES = ("Brightline", "Northwind", "Bluepeak", "Harbour Labs", "Greenfield", "Solvix",
             "Riverton", "Kestrel Systems", "Mapleworks", "Orbitek")
CAFES = ("the Corner Cafe", "Luigi's", "the Blue Door", "the Old Mill", "Cafe Rosa",
         "the Green Kitchen", "the Harbour Grill", "the Little Bakery")
HOBBIES = ("pottery", "rock climbing", "the guitar", "salsa dancing", "painting", "chess",
           "swimming", "photography")
SUBJECTS = ("Spanish", "accounting", "web design", "photography", "Italian cooking",
            "first aid", "Japanese", "creative writing")
DOGS = ("Biscuit", "Pepper", "Max", "Luna", "Rocky", "Daisy", "Milo", "Bella")
INJURIES = (("ankle", "running"), ("wrist", "tennis"), ("knee", "football"),
            ("shoulder", "volleyball"), ("back", "basketball"))

CATCHING_UP = LongTalk(
    name="catching up with a friend",
    topics=("catching up", "friends' news", "a long phone call"),
    slots={"cafe": CAFES, "meet_day": WEEKDAYS, "meet_time": clock(11, 14, quarters=False)},
    opening=(
        P1("Hi! It's been ages. Have you got a few minutes to talk?",
           "Hello, stranger! I was just thinking about you. Is this a good time?",
           "Hey, it's me. I haven't heard from you for months. How are things?"),
        P2("Of course! It's so good to hear from you. There's a lot to tell.",
           "Perfect timing, I've just got home. We have a lot to catch up on.",
           "Yes, I'm free. I've been meaning to call you for weeks, honestly."),
    ),
    matters=(
        Matter(
            label="a new job",
            slots={"job_company": COMPANIES, "job_month": MONTHS, "job_boss": FIRST_NAMES},
            turns=(
                P1("So, are you still at the same place?", "How is work these days?"),
                P2("No, I changed jobs. I started at {job_company} in {job_month}.",
                   "Actually, I've moved on. I've been at {job_company} since {job_month}."),
                P1("Really? How do you like it there?", "That's big news. Is it any better?"),
                P2("Much better. The work is interesting and the people are friendly.",
                   "So far so good. I learn something new every day."),
                maybe(
                    P1("And what is your manager like?", "Do you get on with your boss?"),
                    P2("My manager is {job_boss}, who is very patient with me.",
                       "My manager, {job_boss}, is great and lets me work from home on "
                       "Fridays."),
                ),
                P1("I'm really happy for you. You deserved a change.",
                   "Good for you. You were unhappy in the old job for a long time."),
                P2("Thanks. It was a hard decision, but I don't regret it.",
                   "Thank you. I should have done it years ago."),
            ),
            facts=("#Person2# started a new job at {job_company} in {job_month}.",
                   "#Person2# has been working at {job_company} since {job_month} and likes it.",
                   "#Person2# changed jobs and now works at {job_company}."),
        ),
        Matter(
            label="moving house",
            slots={"move_street": STREETS, "move_rooms": ("two", "three", "four")},
            turns=(
                P1("Are you still living in the same flat?", "Where are you living now?"),
                P2("No, we moved in the spring. We're on {move_street} now.",
                   "We found a new place on {move_street}, so we moved last month."),
                P1("Oh, nice. What's the new place like?", "Is it bigger than the old one?"),
                P2("It has {move_rooms} bedrooms and a small garden.",
                   "It's a house with {move_rooms} bedrooms, and the garden is lovely."),
                maybe(
                    P1("Was the move very stressful?", "How did the move go?"),
                    P2("It took us two whole days, and we broke a few plates.",
                       "It was chaos. The van arrived four hours late."),
                ),
                P1("You must invite me over when you've settled in.",
                   "I'd love to see it some time."),
                P2("Of course, you'll be our first guest.", "Definitely, come whenever you like."),
            ),
            facts=("#Person2# moved to a house with {move_rooms} bedrooms on {move_street}.",
                   "#Person2# has moved to {move_street}.",
                   "#Person2# now lives on {move_street} in a place with {move_rooms} bedrooms."),
        ),
        Matter(
            label="a holiday",
            slots={"trip_city": CITIES, "trip_days": words(4, 12)},
            turns=(
                P1("Did you go anywhere this summer?", "Have you had a holiday this year?"),
                P2("Yes, we spent {trip_days} days in {trip_city}.",
                   "We went to {trip_city} for {trip_days} days."),
                P1("Lucky you! How was it?", "I've always wanted to go there. Was it good?"),
                P2("Wonderful. We walked everywhere and ate far too much.",
                   "It was great, although it rained on the last two days."),
                maybe(
                    P1("Where did you stay?", "Was the hotel nice?"),
                    P2("In a small hotel near the old town. It was quiet and cheap.",
                       "We rented a flat above a bakery, so breakfast was easy."),
                ),
                P1("You'll have to show me the photos.", "Send me some pictures, please."),
                P2("I will, I took hundreds of them.", "Sure, I'll send you the best ones."),
            ),
            facts=("#Person2# spent {trip_days} days in {trip_city} on holiday.",
                   "#Person2# went on holiday to {trip_city}.",
                   "#Person2# had a holiday in {trip_city} and enjoyed it."),
        ),
        Matter(
            label="family news",
            slots={"baby_name": FIRST_NAMES, "sibling": ("sister", "brother", "cousin")},
            turns=(
                P1("How is your family?", "And how is everyone at home?"),
                P2("All well. And big news: my {sibling} had a baby in the autumn.",
                   "Good, thanks. My {sibling} has just had a baby, actually."),
                P1("Congratulations! What's the baby called?",
                   "That's wonderful news! What's the baby's name?"),
                P2("The baby is called {baby_name}, and everybody adores the little one.",
                   "We call the baby {baby_name}. I've already been babysitting twice."),
                maybe(
                    P1("How are the new parents coping?", "Are they getting any sleep?"),
                    P2("They look tired, but they're very happy.",
                       "Not much, but they say it's worth it."),
                ),
                P1("Please give them my best wishes.", "Say congratulations from me."),
                P2("I will. They'll be pleased you asked.", "I'll tell them tonight."),
            ),
            facts=("#Person2#'s {sibling} had a baby called {baby_name}.",
                   "#Person2# has a new baby in the family, called {baby_name}.",
                   "#Person2# tells #Person1# that the {sibling}'s new baby is called "
                   "{baby_name}."),
        ),
        Matter(
            label="a new hobby",
            slots={"hobby": HOBBIES, "hobby_day": WEEKDAYS},
            turns=(
                P1("Are you doing anything fun in your free time?",
                   "What do you do at the weekends now?"),
                P2("I've taken up {hobby}. I go every {hobby_day} evening.",
                   "I started {hobby} this year. There's a class every {hobby_day}."),
                P1("Really? I can't imagine you doing that.", "How did you get into that?"),
                P2("A friend took me once and I loved it straight away.",
                   "I needed something that had nothing to do with work."),
                maybe(
                    P1("Are you any good at it?", "Is it hard to learn?"),
                    P2("Not yet, but I'm getting better every week.",
                       "It's harder than it looks, but the teacher is patient."),
                ),
                P1("Maybe I should come along one day.", "It sounds like fun."),
                P2("You should. Beginners are always welcome.", "Come any time. You'd enjoy it."),
            ),
            facts=("#Person2# has taken up {hobby} and goes every {hobby_day}.",
                   "#Person2# started {hobby} this year.",
                   "#Person2# now does {hobby} in a class on {hobby_day}."),
        ),
        Matter(
            label="an injury",
            slots={("injury", "injury_sport"): INJURIES, "injury_weeks": words(2, 8)},
            turns=(
                P1("I heard you had an accident. Are you all right?",
                   "Someone told me you were hurt. What happened?"),
                P2("I hurt my {injury} playing {injury_sport}.",
                   "It was my {injury}. I fell badly playing {injury_sport}."),
                P1("Oh no. Is it serious?", "That sounds painful. What did the doctor say?"),
                P2("The doctor said I need to rest it for {injury_weeks} weeks.",
                   "Nothing is broken, but I have to rest it for {injury_weeks} weeks."),
                maybe(
                    P1("Can you still get to work?", "How are you managing at home?"),
                    P2("I take a taxi, which is expensive but easier.",
                       "My neighbour helps me with the shopping."),
                ),
                P1("Take care of yourself and don't rush back to {injury_sport}.",
                   "Well, get better soon."),
                P2("Thanks, I'll be careful.", "Thanks. I'm already bored of resting."),
            ),
            facts=("#Person2# hurt the {injury} playing {injury_sport} and has to rest for "
                   "{injury_weeks} weeks.",
                   "#Person2# injured the {injury} playing {injury_sport}.",
                   "#Person2# must rest an injured {injury} for {injury_weeks} weeks."),
        ),
        Matter(
            label="a new dog",
            slots={"dog": DOGS, "dog_age": words(2, 6)},
            turns=(
                P1("Is that a dog I can hear?", "Did you ever get that dog you wanted?"),
                P2("Yes! That's {dog}, our new dog from a shelter.",
                   "Yes, we got one from a shelter. The dog is called {dog}."),
                P1("How old is {dog}?", "Is {dog} still a puppy?"),
                P2("About {dog_age} months old, and full of energy.",
                   "Nobody knows exactly. The shelter thinks {dog} is {dog_age} months old."),
                maybe(
                    P1("Is {dog} well behaved?", "Does the dog sleep at night?"),
                    P2("Mostly, but one of my shoes was eaten last week.",
                       "Now, yes, but the first week was hard."),
                ),
                P1("I can't wait to meet {dog}.", "Bring the dog next time we meet."),
                P2("{dog} will love you.", "{dog} loves visitors, so you'll be friends quickly."),
            ),
            facts=("#Person2# got a rescue dog called {dog}.",
                   "#Person2# has a new dog, {dog}, who is about {dog_age} months old.",
                   "#Person2# adopted a dog named {dog} from a shelter."),
        ),
        Matter(
            label="an evening course",
            slots={"course": SUBJECTS, "course_weeks": words(6, 12)},
            turns=(
                P1("Are you still studying in the evenings?", "What happened with that course "
                   "you mentioned?"),
                P2("Yes, I'm doing a course in {course}. It lasts {course_weeks} weeks.",
                   "I signed up for {course} at the college. It runs for {course_weeks} weeks."),
                P1("Is it useful for work?", "Why {course}?"),
                P2("Partly. I also just wanted to learn something new.",
                   "I'd like to use it at work one day."),
                maybe(
                    P1("Is there a lot of homework?", "Is there an exam at the end?"),
                    P2("About two hours a week, which is fine.",
                       "There's a test in the last week. I'm a bit nervous."),
                ),
                P1("Well done for keeping it up.", "I admire your energy."),
                P2("Thanks. Some evenings it's hard to go.", "Thanks. Coffee helps."),
            ),
            facts=("#Person2# is doing a {course_weeks}-week course in {course}.",
                   "#Person2# takes an evening course in {course}.",
                   "#Person2# is studying {course} in the evenings."),
        ),
        Matter(
            label="a wedding",
            slots={"groom": FIRST_NAMES, "bride": FIRST_NAMES, "wedding_month": MONTHS},
            turns=(
                P1("Have you heard any news from our old friends?",
                   "Do you still see anyone from school?"),
                P2("Yes! {groom} and {bride} are getting married in {wedding_month}.",
                   "Did you hear? {bride} and {groom} are getting married in {wedding_month}."),
                P1("No way! I didn't even know they were together.",
                   "That's fantastic. Are you invited?"),
                P2("Yes, for three years now. And we're both invited, I think.",
                   "They kept it quiet. I'm invited, and I'm sure you will be too."),
                maybe(
                    P1("Where is the wedding?", "Is it a big wedding?"),
                    P2("In a small village by the sea, I think.",
                       "Quite small, about fifty guests."),
                ),
                P1("We should go together.", "Let's buy them a present together."),
                P2("Good idea. Let's plan it nearer the time.", "Yes, let's do that."),
            ),
            facts=("#Person2# tells #Person1# that {groom} and {bride} are getting married in "
                   "{wedding_month}.",
                   "#Person2# says {bride} and {groom} will marry in {wedding_month}.",
                   "Their friends {groom} and {bride} are getting married in {wedding_month}."),
        ),
        Matter(
            label="car trouble",
            slots={"car_cost": money(150, 900, 10), "garage": STREETS},
            turns=(
                P1("Are you still driving that old car?", "How is your old car?"),
                P2("Just about. It broke down last month, and the repair cost {car_cost}.",
                   "It broke down on the motorway. The garage charged me {car_cost}."),
                P1("Ouch. What was wrong with it?", "That's a lot. What happened?"),
                P2("Something in the engine. The garage on {garage} needed a whole week.",
                   "The engine. The garage on {garage} had to order a part."),
                maybe(
                    P1("Are you going to sell it?", "Isn't it time for a new one?"),
                    P2("I'm thinking about it, but new cars are so expensive.",
                       "Maybe next year, when I've saved a bit."),
                ),
                P1("Well, I hope it keeps going for a while.", "Fingers crossed it lasts."),
                P2("Me too.", "So do I."),
            ),
            facts=("#Person2#'s car broke down, and the repair cost {car_cost}.",
                   "#Person2# paid {car_cost} to have the car repaired.",
                   "#Person2# had car trouble and paid {car_cost} for the repair."),
        ),
        Matter(
            label="a concert",
            slots={"band": ("the Lanterns", "Blue Harbour", "the Night Owls", "Paper Moons",
                            "the Echoes"), "concert_city": CITIES},
            turns=(
                P1("Have you been out much lately?", "Done anything fun recently?"),
                P2("I saw {band} play in {concert_city} two weeks ago.",
                   "Yes, I went to see {band} in {concert_city}."),
                P1("I love them! How were they?", "Were they as good live?"),
                P2("Amazing. They played for nearly three hours.",
                   "Even better than on the records. The crowd sang every song."),
                maybe(
                    P1("Was it expensive?", "How did you get tickets?"),
                    P2("The tickets weren't cheap, but it was worth it.",
                       "A friend had a spare one, luckily."),
                ),
                P1("I'm so jealous.", "Next time, tell me and I'll come too."),
                P2("Next time I'll get you a ticket too.", "Come with me next time, then."),
            ),
            facts=("#Person2# saw {band} in concert in {concert_city}.",
                   "#Person2# went to a {band} concert in {concert_city} and loved it.",
                   "#Person2# enjoyed seeing {band} play in {concert_city}."),
        ),
        Matter(
            label="a garden",
            slots={"vegetable": ("tomatoes", "potatoes", "beans", "courgettes", "lettuce",
                                 "strawberries")},
            turns=(
                P1("How is the garden doing?", "Are you still growing vegetables?"),
                P2("Very well. We've got more {vegetable} than we can eat.",
                   "Yes, this year the {vegetable} did really well."),
                P1("What's your secret?", "Lucky you. Mine all died. How do you do it?"),
                P2("Water every evening and a lot of patience.",
                   "Good soil, and I water them every evening."),
                maybe(
                    P1("Could I have some?", "Do you have any to spare?"),
                    P2("Of course, I'll bring a bag next time.", "Sure, take as many as you "
                       "want."),
                ),
                P1("You're a real gardener now.", "I should try again next year."),
                P2("Ha, I'm still learning.", "Thanks, it's very relaxing."),
            ),
            facts=("#Person2# grows {vegetable} in the garden.",
                   "#Person2#'s garden has produced a lot of {vegetable}.",
                   "#Person2# has more {vegetable} from the garden than the family can eat."),
        ),
    ),
    closing=(
        P1("Listen, we should meet in person. Are you free on {meet_day}?",
           "This is so nice. Shall we have lunch on {meet_day}?"),
        P2("{meet_day} is good. How about {cafe} at {meet_time}?",
           "Yes, let's. {cafe.cap} at {meet_time}?"),
        P1("Perfect. See you there.", "Great, it's a date."),
        P2("Bye for now!", "Looking forward to it. Bye!"),
    ),
    gist=("#Person1# and #Person2# catch up on the phone after a long time.",
          "#Person1# calls #Person2#, an old friend, to catch up.",
          "#Person1# phones #Person2# to hear #Person2#'s news."),
    outcome=("They agree to have lunch at {cafe} on {meet_day} at {meet_time}.",
             "They will meet at {cafe} on {meet_day}.",
             "They arrange to meet on {meet_day} at {meet_time} at {cafe}."),
)

WORK_REVIEW = LongTalk(
    name="weekly work review",
    topics=("work meeting", "weekly review", "project update"),
    slots={"next_day": WEEKDAYS[:5], "next_time": clock(9, 16)},
    opening=(
        P1("Good morning. Shall we go through this week's list?",
           "Hi, have you got half an hour for our weekly review?",
           "Morning. Let's do the weekly update now, if that suits you."),
        P2("Sure. I've got my notes here. There's quite a lot.",
           "Yes, now is fine. I have a few things to report."),
    ),
    matters=(
        Matter(
            label="the budget",
            slots={"budget_left": money(2000, 20000, 500), "budget_month": MONTHS},
            turns=(
                P1("How are we doing on the budget?", "First, where are we with money?"),
                P2("We have {budget_left} left until the end of {budget_month}.",
                   "There's {budget_left} left, and it has to last until {budget_month}."),
                P1("Is that enough?", "Will that cover everything?"),
                P2("Only if we delay the new laptops.", "Just about, if nothing goes wrong."),
                maybe(
                    P1("Can we ask finance for more?", "What if we need more?"),
                    P2("I asked already. They said not before the new year.",
                       "We'd need a written request, and it takes weeks."),
                ),
                P1("All right, let's keep a close eye on it.", "Fine. Let me know if it changes."),
                P2("I'll send you the figures every Friday.", "Will do."),
            ),
            facts=("#Person2# reports that {budget_left} is left until the end of "
                   "{budget_month}.",
                   "#Person2# says the team has {budget_left} left in the budget.",
                   "Only {budget_left} of the budget is left until {budget_month}."),
        ),
        Matter(
            label="a deadline",
            slots={"project": ("the website", "the new app", "the annual report",
                               "the training videos", "the product catalogue"),
                   "deadline_day": WEEKDAYS[:5]},
            turns=(
                P1("Is {project} still on schedule?", "What's the news on {project}?"),
                P2("It's a bit late. We need until {deadline_day} next week.",
                   "We're behind. The earliest we can finish is next {deadline_day}."),
                P1("What's holding it up?", "Why the delay?"),
                P2("Two people were off sick, and the testing took longer than planned.",
                   "We found some problems in testing that we have to fix first."),
                maybe(
                    P1("Does the client know?", "Have you told the client?"),
                    P2("Not yet. I wanted to talk to you first.",
                       "I'll call them this afternoon."),
                ),
                P1("Next {deadline_day} is fine, but not a day later.",
                   "All right. Please make sure it doesn't slip again."),
                P2("Understood. We'll make it.", "It won't, I promise."),
            ),
            facts=("#Person2# says {project} will be finished next {deadline_day}, later than "
                   "planned.",
                   "#Person2# needs until next {deadline_day} to finish {project}.",
                   "{project.cap} is late and will be ready next {deadline_day}."),
        ),
        Matter(
            label="hiring",
            slots={"candidate": FIRST_NAMES, "start_month": MONTHS},
            turns=(
                P1("Did we find someone for the open position?", "Any news about hiring?"),
                P2("Yes. We'd like to offer the job to {candidate}.",
                   "We interviewed five people, and {candidate} was clearly the best."),
                P1("What makes {candidate} a good fit?", "Why {candidate}?"),
                P2("{candidate} has the right experience and was very good with the test.",
                   "Good experience, and the team liked {candidate} a lot."),
                maybe(
                    P1("When could {candidate} start?", "Is {candidate} free to start soon?"),
                    P2("{candidate} could start in {start_month}.",
                       "In {start_month}, after giving notice."),
                ),
                P1("Then go ahead and make the offer.", "Good. Send the offer today."),
                P2("I'll do it this afternoon.", "Great, I'll call HR."),
            ),
            facts=("#Person2# wants to hire {candidate}, and #Person1# agrees.",
                   "#Person2# will offer the open job to {candidate}.",
                   "They decide to offer the job to {candidate}."),
        ),
        Matter(
            label="a client complaint",
            slots={"client": COMPANIES, "complaint": ("late deliveries", "a wrong invoice",
                                                      "slow replies", "a broken part")},
            turns=(
                P1("Anything from the clients?", "How are things with the clients?"),
                P2("{client} complained about {complaint}.",
                   "We had a complaint from {client} about {complaint}."),
                P1("How serious is it?", "Are they very upset?"),
                P2("They're annoyed, but they want to keep working with us.",
                   "Quite upset. They mentioned looking at other suppliers."),
                maybe(
                    P1("Whose fault was it?", "Do we know what went wrong?"),
                    P2("Partly ours. A message was lost between two teams.",
                       "A new system was set up wrongly. It's fixed now."),
                ),
                P1("Call them and apologise, and offer a discount on the next order.",
                   "Please call them today and explain what we're doing about it."),
                P2("I'll call them this morning.", "Yes, I'll do that straight after this."),
            ),
            facts=("#Person2# reports that {client} complained about {complaint}.",
                   "{client} has complained about {complaint}, and #Person2# will call them.",
                   "#Person2# tells #Person1# about a complaint from {client}."),
        ),
        Matter(
            label="an office move",
            slots={"floor": ("second", "third", "fourth", "fifth"), "move_day": WEEKDAYS[:5]},
            turns=(
                P1("What about the office move?", "Is the move to the new floor settled?"),
                P2("Yes, we move to the {floor} floor on {move_day}.",
                   "Facilities confirmed it: the {floor} floor, this {move_day}."),
                P1("Is everybody ready?", "Do people know what to pack?"),
                P2("Most people have packed already. The rest will do it tomorrow.",
                   "I sent a list yesterday, and boxes arrive today."),
                maybe(
                    P1("Will the computers work on the first day?", "What about the phones?"),
                    P2("IT says everything will be connected by nine o'clock.",
                       "They'll be set up overnight."),
                ),
                P1("Good. Let's keep {move_day} free of meetings.", "Fine, thanks for "
                   "organising it."),
                P2("I've already told the team.", "No problem."),
            ),
            facts=("#Person2# says the team moves to the {floor} floor on {move_day}.",
                   "The office moves to the {floor} floor on {move_day}.",
                   "#Person2# confirms the move to the {floor} floor."),
        ),
        Matter(
            label="training",
            slots={"training": ("a safety course", "a sales workshop", "a software course",
                                "a leadership course"), "training_cost": money(200, 900, 50)},
            turns=(
                P1("Did you look into training for the team?", "What about the training "
                   "request?"),
                P2("I found {training.a} that costs {training_cost} a person.",
                   "There's {training.a} in town for {training_cost} per person."),
                P1("That's not cheap. Is it worth it?", "Is it any good?"),
                P2("People who went last year said it was very useful.",
                   "It has good reviews, and it's only two days."),
                maybe(
                    P1("How many people want to go?", "Who would go?"),
                    P2("Three people have asked for it.", "Two people for now."),
                ),
                P1("All right, book it for the people who asked.", "Let's book it, then."),
                P2("I'll book it today.", "Great, I'll arrange it."),
            ),
            facts=("#Person2# found {training.a} for {training_cost} a person, and they "
                   "decide to book it.",
                   "They agree to send people to {training.a}.",
                   "#Person2# will book {training.a} at {training_cost} per person."),
        ),
        Matter(
            label="a conference",
            slots={"conf_city": CITIES, "conf_month": MONTHS},
            turns=(
                P1("Are we going to the conference this year?", "What about the conference?"),
                P2("It's in {conf_city} in {conf_month}. I'd like to give a talk.",
                   "It's in {conf_city} this time, in {conf_month}. I sent in a talk."),
                P1("Good idea. What would you talk about?", "What's your talk about?"),
                P2("About what we learned from the new app.",
                   "How we cut our delivery times."),
                maybe(
                    P1("How much would the trip cost?", "Is the travel expensive?"),
                    P2("With the hotel, about the same as last year.",
                       "Not much if I book the train early."),
                ),
                P1("Go ahead, it's good for the team.",
                   "Fine by me. Let me know if it's accepted."),
                P2("Thanks, I will.", "Great, I'll let you know."),
            ),
            facts=("#Person2# wants to speak at the conference in {conf_city} in {conf_month}.",
                   "#Person2# will go to the conference in {conf_city}.",
                   "#Person2# sent in a talk for the conference in {conf_city}."),
        ),
        Matter(
            label="holiday cover",
            slots={"away": FIRST_NAMES, "cover": FIRST_NAMES, "away_weeks": words(2, 4)},
            turns=(
                P1("Who is away next month?", "Do we have holidays coming up?"),
                P2("{away} is away for {away_weeks} weeks from Monday.",
                   "{away} takes {away_weeks} weeks off, starting next week."),
                P1("Who will cover for {away}?", "Who does {away}'s work meanwhile?"),
                P2("{cover} has agreed to do it.", "{cover} offered to take it over."),
                maybe(
                    P1("Does {cover} know the systems?", "Will {cover} manage both jobs?"),
                    P2("Yes, they trained together last year.",
                       "It's a lot, but I'll help."),
                ),
                P1("Good. Please thank {cover} from me.", "Good. Tell {cover} I'm grateful."),
                P2("I will.", "Of course."),
            ),
            facts=("#Person2# says {cover} will cover for {away}, who is away for "
                   "{away_weeks} weeks.",
                   "{cover} will do {away}'s work while {away} is on holiday.",
                   "While {away} is away, {cover} covers the work."),
        ),
        Matter(
            label="new software",
            slots={"software": ("the new booking system", "the accounting software",
                                "the chat tool", "the timesheet app"),
                   "software_day": WEEKDAYS[:5]},
            turns=(
                P1("How is the team getting on with {software}?", "Any problems with "
                   "{software}?"),
                P2("Mostly fine, but people find the reports confusing.",
                   "It's slow in the mornings, and people complain."),
                P1("Can the supplier help?", "Have you asked the supplier?"),
                P2("They'll run a training session on {software_day}.",
                   "Yes, someone is coming on {software_day} to show us."),
                maybe(
                    P1("Should we go back to the old system?", "Is it better than the old "
                       "one?"),
                    P2("No, it will be better once people are used to it.",
                       "In the long run, yes."),
                ),
                P1("Make sure everyone attends on {software_day}.", "Good. Keep me posted."),
                P2("I'll put it in everyone's calendar.", "I will."),
            ),
            facts=("#Person2# reports problems with {software}, and the supplier will train "
                   "the team on {software_day}.",
                   "The supplier of {software} will give a training session on "
                   "{software_day}.",
                   "#Person2# says people are struggling with {software}."),
        ),
        Matter(
            label="supplier prices",
            slots={"supplier": COMPANIES, "rise": ("5", "8", "10", "12", "15")},
            turns=(
                P1("Did we hear back from the supplier?", "Any news from our suppliers?"),
                P2("{supplier} wants to raise its prices by {rise} percent.",
                   "Yes. {supplier} is putting its prices up {rise} percent next month."),
                P1("That's a lot. Can we find someone cheaper?", "Do we have a choice?"),
                P2("I asked two others. Their prices are higher still.",
                   "Not really, the others are more expensive."),
                maybe(
                    P1("Could we sign a longer contract for a better price?",
                       "Can we negotiate?"),
                    P2("I'll ask them about a two-year deal.", "I'll try, but I doubt it."),
                ),
                P1("Let's accept it for now and look again in the spring.",
                   "Fine, but keep looking."),
                P2("Agreed.", "Will do."),
            ),
            facts=("#Person2# reports that {supplier} is raising its prices by {rise} percent.",
                   "{supplier} wants {rise} percent more, and they accept it for now.",
                   "#Person2# says prices from {supplier} will go up {rise} percent."),
        ),
        Matter(
            label="a team lunch",
            slots={"lunch_place": CAFES, "lunch_day": date},
            turns=(
                P1("Did you book the team lunch?", "What about the team lunch?"),
                P2("Yes, it's at {lunch_place} on {lunch_day}.",
                   "I booked {lunch_place} for {lunch_day}."),
                P1("How many people are coming?", "Is everybody coming?"),
                P2("Everybody except the two people on holiday.",
                   "Twelve people said yes."),
                maybe(
                    P1("Do they have vegetarian food?", "Is the company paying?"),
                    P2("Yes, I checked the menu.", "Yes, it comes out of the team budget."),
                ),
                P1("Great, the team has earned it.", "Good, thanks for organising it."),
                P2("I think everyone is looking forward to it.", "My pleasure."),
            ),
            facts=("#Person2# booked the team lunch at {lunch_place} on {lunch_day}.",
                   "The team lunch is at {lunch_place} on {lunch_day}.",
                   "#Person2# has organised a team lunch on {lunch_day}."),
        ),
        Matter(
            label="a customer survey",
            slots={"happy": ("62", "70", "75", "81", "88"), "survey_issue": (
                "waiting times", "the website", "the opening hours", "delivery costs")},
            turns=(
                P1("Are the survey results in?", "What did the customer survey say?"),
                P2("Yes. {happy} percent of customers are happy with us.",
                   "They came in yesterday: {happy} percent are satisfied."),
                P1("What do they complain about?", "And what are the complaints?"),
                P2("The main complaint is {survey_issue}.",
                   "Most of them are about {survey_issue}, as last year."),
                maybe(
                    P1("Can we fix that quickly?", "What can we do about it?"),
                    P2("I've written a few ideas down for next week.",
                       "Some of it, yes. I'll make a plan."),
                ),
                P1("Please share the results with the whole team.",
                   "Good. Send the results to the whole team, please."),
                P2("I'll send them today.", "I'll do that."),
            ),
            facts=("#Person2# reports that {happy} percent of customers are happy, and the main "
                   "complaint is {survey_issue}.",
                   "The customer survey shows {happy} percent satisfied customers.",
                   "#Person2# says customers mostly complain about {survey_issue}."),
        ),
        Matter(
            label="office supplies",
            slots={"printer_days": words(2, 5)},
            turns=(
                P1("Anything else from the office?", "Any problems in the office?"),
                P2("The big printer has been broken for {printer_days} days.",
                   "Yes, the printer on our floor hasn't worked for {printer_days} days."),
                P1("Has anyone called the repair company?", "Why wasn't it fixed?"),
                P2("They're waiting for a part. It should come on Friday.",
                   "The repair company is very busy. Someone comes on Friday."),
                maybe(
                    P1("Where do people print meanwhile?", "Can people use another printer?"),
                    P2("On the floor below, which is a bit of a walk.",
                       "Downstairs, but it's slow."),
                ),
                P1("If it isn't fixed by Friday, let me know.", "All right, keep me posted."),
                P2("I will.", "Sure."),
            ),
            facts=("#Person2# says the printer has been broken for {printer_days} days.",
                   "The office printer has not worked for {printer_days} days.",
                   "#Person2# reports a broken printer, to be repaired on Friday."),
        ),
    ),
    closing=(
        P1("I think that's everything. Same time next week?",
           "That's the list done. Shall we meet again next week?"),
        P2("Next week I can't do this time. How about {next_day} at {next_time}?",
           "Could we do {next_day} at {next_time} instead?"),
        P1("{next_day} at {next_time} works. Thanks for the update.",
           "Fine, {next_day} at {next_time}. Thanks."),
        P2("Thank you. See you then.", "See you then."),
    ),
    gist=("#Person1# and #Person2# go through their weekly work review.",
          "#Person2# gives #Person1# the weekly update at work.",
          "At their weekly meeting, #Person1# and #Person2# discuss several work matters."),
    outcome=("They will meet again on {next_day} at {next_time}.",
             "Their next review is on {next_day} at {next_time}.",
             "They move next week's meeting to {next_day} at {next_time}."),
)

LONG_TALKS: tuple[LongTalk, ...] = (CATCHING_UP, WORK_REVIEW)
ALSO = ("They also talk about {}.", "They also discuss {}.", "Other topics are {}.")
