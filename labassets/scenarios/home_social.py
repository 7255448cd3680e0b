"""Scenario families about home and social life: flats, moving, invitations, friends, going out."""

from random import Random

from labassets.scenarios.base import P1, P2, Family, S, maybe
from labassets.scenarios.pools import (
    FIRST_NAMES,
    STREETS,
    SURNAMES,
    WEEKDAYS,
    clock,
    date,
    money,
)

WEEKEND = ("Friday", "Saturday", "Sunday")

RENTING = Family(
    name="renting a flat",
    topics=("renting a flat", "renting", "accommodation"),
    slots={
        "flat": ("one-bedroom", "two-bedroom", "three-bedroom", "studio"),
        "street": STREETS,
        "street2": STREETS,
        "rent": money(600, 1800, 50),
        ("bills_said", "bills"): (
            ("Water and heating are included.", "water and heating are included"),
            ("No, bills are extra.", "bills are extra"),
            ("The internet is included, but electricity is extra.",
             "the internet is included but electricity is extra"),
            ("Everything except electricity is included.",
             "everything except electricity is included"),
        ),
        "deposit": ("one month's rent", "two months' rent", "$1,000"),
        "day": WEEKDAYS,
        "time": clock(10, 18, quarters=False),
        "case": ("view", "view", "taken"),
    },
    restates={"bills": "bills_said"},
    turns=(
        P1("Hello. I'm calling about the {flat} flat on {street}. Is it still available?",
           "Hi. I saw your advert for a {flat} flat on {street}. Is it still free?",
           "Good morning. Is the {flat} flat on {street} still for rent?"),
        P2("Yes, it is. The rent is {rent} a month.", "It is. It's {rent} a month.",
           when="view"),
        P1("Are bills included?", "Does that include bills?", when="view"),
        P2("{bills_said}", when="view"),
        maybe(
            P1("Is there a deposit?", "How much is the deposit?", when="view"),
            P2("{deposit.cap}.", "It's {deposit}, paid before you move in.", when="view"),
        ),
        P2("I'm sorry, it was rented yesterday. But we have a similar one on {street2} for "
           "{rent} a month.",
           "That one has just gone, I'm afraid. There's another one on {street2}, though. "
           "It's {rent} a month.", when="taken"),
        P1("Can I come and see it?", "When could I view it?", "Could I have a look at it?"),
        P2("How about {day} at {time}?", "Sure. Is {day} at {time} okay?",
           "I can show it to you on {day} at {time}."),
        P1("Perfect. See you then.", "That works. Thank you.", "Great, I'll be there."),
    ),
    gist=(
        "#Person1# calls about a {flat} flat on {street}.",
        "#Person1# is interested in renting a {flat} flat on {street}.",
        "#Person1# asks #Person2# about a flat for rent on {street}.",
        "#Person1# wants to rent a {flat} flat.",
    ),
    details=(
        S("#Person2# says the rent is {rent} a month and arranges a viewing on {day} at {time}.",
          "The rent is {rent} a month, and #Person1# will see the flat on {day} at {time}.",
          when="view"),
        S("#Person2# tells #Person1# that {bills}.", "The deposit is {deposit}.", when="view",
          p=0.6),
        S("That flat is gone, but #Person2# offers a similar one on {street2} for {rent} a month.",
          "It has already been rented, so #Person2# suggests another flat on {street2} at "
          "{rent} a month.", when="taken"),
        S("#Person1# will see it on {day} at {time}.", "They arrange a viewing on {day} at {time}.",
          when="taken", p=0.8),
    ),
)

MOVING = Family(
    name="moving house",
    topics=("moving house", "moving", "asking for help"),
    slots={
        "friend": FIRST_NAMES,
        "day": WEEKEND,
        "street": STREETS,
        "time": clock(8, 11, quarters=False),
        "boxes": ("fifteen", "twenty", "thirty", "forty"),
        "reward": ("pizza", "lunch", "dinner", "drinks"),
        "case": ("morning", "afternoon"),
    },
    turns=(
        P1("{friend}, are you free on {day}? I'm moving to a new flat on {street}.",
           "Hi {friend}. Could you help me move on {day}?",
           "I finally found a new place on {street}! The move is on {day}. Can you help?"),
        P2("Congratulations! What time do you start?", "Sure, I think I'm free. What time?",
           "Of course. When do you need me?"),
        P1("Around {time}. I've rented a van.", "We're starting at {time}. I've got a van "
           "for the day.", "The van comes at {time}."),
        maybe(
            P2("How much stuff do you have?", "Is there a lot to carry?"),
            P1("About {boxes} boxes and a sofa.", "Not much. Maybe {boxes} boxes."),
        ),
        P2("Okay, I'll be there at {time}.", "No problem. See you at {time}.", when="morning"),
        P2("I have a dentist appointment in the morning, but I can come after lunch.",
           "I'm busy in the morning. Is the afternoon okay?", when="afternoon"),
        P1("Thanks so much! I'll buy you {reward} afterwards.",
           "You're the best. I'll pay for {reward}.", "Great. Thank you!"),
        maybe(P2("Deal!", "You don't have to, but thanks!")),
    ),
    gist=(
        "#Person1# asks #Person2# to help with moving house on {day}.",
        "#Person1# needs help moving on {day}.",
        "#Person1# asks #Person2# to help move into a new flat.",
        "#Person1# is moving to {street} and asks {friend} for help.",
    ),
    details=(
        S("#Person2# agrees to come at {time}.", "#Person2# will be there at {time} to help.",
          when="morning"),
        S("#Person2# has a dentist appointment in the morning but can help after lunch.",
          "#Person2# is busy in the morning, so #Person2# will come in the afternoon.",
          when="afternoon"),
        S("#Person1# will buy #Person2# {reward} to say thank you.",
          "#Person1# has about {boxes} boxes and a sofa.", p=0.7),
    ),
)

INVITATION = Family(
    name="invitation to a party",
    topics=("party invitation", "invitation", "party"),
    slots={
        "friend": FIRST_NAMES,
        "other": FIRST_NAMES,
        "occasion": ("birthday party", "house-warming party", "farewell party", "barbecue",
                     "graduation party", "dinner party"),
        "day": WEEKEND,
        "time": clock(18, 21, quarters=False),
        "bring": ("a salad", "some drinks", "a dessert", "some snacks", "some music"),
        "excuse": ("working late", "going to a wedding", "visiting family", "flying to Rome",
                   "looking after a sick friend"),
        "case": ("accept", "accept", "decline"),
    },
    turns=(
        P1("Hi {friend}! I'm having a {occasion} on {day}. Would you like to come?",
           "{friend}, are you free on {day} evening? I'm having a {occasion}.",
           "Guess what? I'm throwing a {occasion} on {day}, and you're invited!"),
        P2("That sounds fun. What time?", "Oh, nice! When does it start?",
           "Really? What time should I come?"),
        P1("It starts at {time} at my place.", "From {time}. Everyone's coming to my flat.",
           "Around {time}."),
        maybe(
            P2("Who else is coming?", "Will I know anyone there?"),
            P1("{other} and a few people from work.", "Mostly old friends. {other} is coming too."),
        ),
        P2("Great, I'll be there. Should I bring anything?",
           "Perfect. Can I bring something?", when="accept"),
        P1("Maybe {bring}, if you can.", "Just {bring}, if it's not too much trouble.",
           when="accept"),
        P2("No problem. See you on {day}!", "Sure. I'm looking forward to it.", when="accept"),
        P2("Oh no, I'm {excuse} that evening.", "I'm sorry, I can't. I'm {excuse} on {day}.",
           when="decline"),
        P1("That's a pity. Maybe next time.", "Oh, what a shame. Never mind.", when="decline"),
        P2("Definitely. Have a great time!", "Thanks for asking, though.", when="decline"),
    ),
    gist=(
        "#Person1# invites #Person2# to a {occasion} on {day}.",
        "#Person1# is having a {occasion} and invites #Person2#.",
        "#Person1# asks #Person2# to come to a {occasion}.",
        "#Person1# invites {friend} to a {occasion}.",
    ),
    details=(
        S("#Person2# accepts and will bring {bring}.",
          "#Person2# is happy to come and offers to bring {bring}.",
          "#Person2# will come and bring {bring}.", when="accept"),
        S("#Person2# can't come because #Person2# is {excuse}.",
          "#Person2# has to say no because #Person2# is {excuse}.", when="decline"),
        S("The party starts at {time}.", "It starts at {time}.", p=0.5),
    ),
)

CATCHING_UP = Family(
    name="phone call to a friend",
    topics=("phone call", "catching up", "friends"),
    slots={
        "friend": FIRST_NAMES,
        ("news_said", "news"): (
            ("I've started a new job at a design company.",
             "has started a new job at a design company"),
            ("I passed my driving test!", "has passed the driving test"),
            ("I'm training for a marathon.", "is training for a marathon"),
            ("I just got back from two weeks in Portugal.",
             "has just come back from two weeks in Portugal"),
            ("I've joined a choir.", "has joined a choir"),
            ("I finally finished my thesis.", "has finally finished a thesis"),
            ("We're getting a puppy next month.", "is getting a puppy next month"),
        ),
        "place": ("Cafe Luna", "the Green Cup", "the bakery on Mill Road", "the park cafe"),
        "day": WEEKDAYS,
        "time": clock(10, 18, quarters=False),
        "date": date,
        "case": ("meet", "meet", "away"),
    },
    restates={"news": "news_said"},
    turns=(
        P1("Hi {friend}, it's me! How are you?", "Hello {friend}. Long time no speak!",
           "Hey {friend}, have you got a minute to chat?"),
        P2("Oh, hi! I'm great, thanks. How about you?",
           "Hey! So good to hear from you. I'm fine. And you?", "Of course! How are things?"),
        P1("Pretty good. Actually, I have some news. {news_said}",
           "Really well. Guess what? {news_said}"),
        P2("Wow, that's great!", "Really? Good for you!", "That's fantastic!"),
        maybe(
            P1("And what about you? Anything new?", "How about you? What's new?"),
            P2("Not much. Work is busy, as usual.", "Nothing special. Just work and sleep."),
        ),
        P1("We should meet up soon.", "Let's get together and celebrate.",
           "I'd love to see you soon."),
        P2("Definitely. How about coffee at {place} on {day}?",
           "Yes! Let's meet at {place} on {day}.", when="meet"),
        P1("Perfect. Let's say {time}.", "Great. Is {time} okay?", when="meet"),
        P2("I'd love to, but I'm away until {date}.",
           "I'm travelling for work until {date}, unfortunately.", when="away"),
        P1("Then let's meet when you're back.", "No problem. Call me when you're home.",
           when="away"),
        maybe(P2("Sounds good. Talk soon!", "Great, see you then!")),
    ),
    gist=(
        "#Person1# calls {friend} to catch up.",
        "#Person1# phones #Person2# to share some news.",
        "#Person1# and #Person2# catch up on the phone.",
        "#Person1# rings #Person2# for a chat.",
    ),
    details=(
        S("#Person1# {news}.", "#Person1# tells #Person2# that #Person1# {news}."),
        S("They agree to meet for coffee at {place} on {day} at {time}.",
          "#Person2# suggests {place} on {day}, and they will meet at {time}.", when="meet"),
        S("#Person2# is away until {date}, so they will meet after that.",
          "They can't meet until {date} because #Person2# is away.", when="away"),
    ),
)

WEATHER = Family(
    name="weather and weekend plans",
    topics=("weather", "weekend plans", "weather"),
    slots={
        "friend": FIRST_NAMES,
        "other": FIRST_NAMES,
        ("weather_said", "forecast", "plan_said", "plan"): (
            ("It'll be sunny and warm on Saturday.", "sunny and warm weather on Saturday",
             "Why don't we have a picnic by the lake?", "have a picnic by the lake"),
            ("It's going to rain all weekend.", "rain all weekend",
             "How about the new exhibition at the art museum?",
             "visit the new exhibition at the art museum"),
            ("There's a storm coming on Sunday.", "a storm on Sunday",
             "Let's stay in and play board games.", "stay in and play board games"),
            ("It'll be cold but sunny tomorrow.", "cold but sunny weather tomorrow",
             "We could go hiking in the hills.", "go hiking in the hills"),
            ("They say it'll snow this weekend.", "snow this weekend",
             "Let's go ice skating in the square.", "go ice skating in the square"),
            ("It'll be cloudy in the morning and sunny in the afternoon.",
             "clouds in the morning and sun in the afternoon",
             "How about a bike ride after lunch?", "go for a bike ride after lunch"),
        ),
        "time": clock(10, 15, quarters=False),
    },
    restates={"forecast": "weather_said", "plan": "plan_said"},
    turns=(
        P1("Have you seen the weather forecast?",
           "Do you know what the weather will be like this weekend?",
           "{friend}, have you checked the forecast for the weekend?"),
        P2("Yes. {weather_said}", "I just checked. {weather_said}",
           "I have. {weather_said}"),
        maybe(
            P1("Really? Are you sure?", "Hmm. Is that right?"),
            P2("That's what the radio said this morning.", "Well, that's what the app says."),
            p=0.4,
        ),
        P1("So what should we do?", "Any ideas for the weekend, then?",
           "Then what do you want to do?"),
        P2("{plan_said}", "I know! {plan_said}"),
        P1("Good idea! What time?", "That sounds great. When shall we meet?",
           "Lovely. What time suits you?"),
        P2("Let's meet at {time}.", "How about {time}?", "Shall we say {time}?"),
        maybe(
            P1("Should I invite {other} too?", "Can {other} come along?"),
            P2("Sure, the more the merrier.", "Of course. Ask {other} tonight."),
        ),
    ),
    gist=(
        "#Person1# asks #Person2# about the weather forecast for the weekend.",
        "#Person1# and #Person2# talk about the weather and make plans.",
        "#Person1# wants to make weekend plans and asks #Person2# about the weather.",
        "#Person1# and {friend} discuss the forecast and what to do.",
    ),
    details=(
        S("The forecast is for {forecast}, so they decide to {plan}.",
          "Because of {forecast}, #Person2# suggests that they {plan}.",
          "They expect {forecast} and plan to {plan}."),
        S("They will meet at {time}.", "They plan to meet at {time}, and {other} may join them.",
          p=0.6),
    ),
)


def cinema_tickets(r: Random) -> tuple[str, str]:
    """How many tickets and their total price."""
    count = r.choice((2, 3, 4))
    each = r.choice((8.5, 9, 10.5, 12))
    total = f"${count * each:.2f}".replace(".00", "")
    return ("two", "three", "four")[count - 2], total


CINEMA = Family(
    name="cinema tickets",
    topics=("cinema", "buying tickets", "going to the movies"),
    slots={
        "film": ("The Last Train", "Midnight in Lisbon", "Ocean Heart", "Space Cadets",
                 "The Quiet Forest", "Red Mountain", "Paper Kites"),
        ("n", "total"): cinema_tickets,
        "time": clock(14, 21, quarters=False),
        "time2": clock(14, 22, quarters=False),
        "row": ("row F", "row H", "row D", "row K"),
        "case": ("available", "available", "sold_out"),
    },
    turns=(
        P1("Hi. {n.cap} tickets for {film} at {time}, please.",
           "Hello. Are there any tickets left for {film} at {time}? We need {n}.",
           "Good evening. Can I get {n} tickets for the {time} showing of {film}?"),
        P2("Yes, there are. Where would you like to sit?",
           "Sure. Do you want to sit at the front or the back?", when="available"),
        P1("Somewhere in the middle, please.", "Not too close to the screen, please.",
           when="available"),
        P2("I'm sorry, that showing is sold out. There are still seats at {time2}.",
           "Sorry, {time} is full. How about {time2}?", when="sold_out"),
        P1("Okay, we'll go at {time2} then.", "That's fine. {time2}, please.", when="sold_out"),
        P2("There are seats together in {row}. That's {total} altogether.",
           "I can give you {row}. The total is {total}."),
        maybe(
            P1("Do you have student discounts?", "Is there a discount for students?"),
            P2("Only on Tuesdays, I'm afraid.", "Sorry, not at weekends."),
            p=0.4,
        ),
        P1("Here's my card.", "Here you are.", "Okay. Can I pay by card?"),
        maybe(P2("Enjoy the film!", "Thank you. Enjoy the show.")),
    ),
    gist=(
        "#Person1# wants to buy {n} tickets for {film}.",
        "#Person1# buys cinema tickets for {film}.",
        "#Person1# asks #Person2# for {n} tickets to see {film} at {time}.",
        "#Person1# wants to see {film} at {time}.",
    ),
    details=(
        S("#Person2# gives #Person1# seats in {row}, and the tickets cost {total} in total.",
          "The {n} tickets cost {total}, and the seats are in {row}.", when="available"),
        S("The {time} showing is sold out, so #Person1# takes tickets for {time2}.",
          "#Person1# chooses the {time2} showing because {time} is sold out.", when="sold_out"),
        S("The tickets cost {total} altogether.", "#Person1# pays {total} for seats in {row}.",
          when="sold_out", p=0.7),
    ),
)

RESTAURANT_BOOKING = Family(
    name="restaurant booking",
    topics=("restaurant booking", "booking a table", "reservation"),
    slots={
        "restaurant": ("Luigi's", "the Golden Dragon", "Casa Blanca", "the Olive Tree",
                       "Spice Garden", "the Blue Fin"),
        "people": ("two", "three", "four", "five", "six"),
        "day": WEEKDAYS,
        "time": clock(18, 21),
        "time2": clock(18, 21),
        "surname": SURNAMES,
        "request": ("a table by the window", "a quiet table", "a table on the terrace",
                    "a high chair for a baby"),
        "case": ("booked", "booked", "other_time"),
    },
    turns=(
        P1("Hello, is this {restaurant}? I'd like to book a table.",
           "Hi. I'd like to make a dinner reservation, please.",
           "Good afternoon. I'd like to reserve a table at {restaurant}."),
        P2("Certainly. For how many people?", "Of course. How many people will there be?"),
        P1("There will be {people} of us.", "A table for {people}, please.",
           "{people.cap} people."),
        P2("And when would you like to come?", "For which day and time?"),
        P1("{day} at {time}.", "This {day}, at {time} if possible.",
           "On {day}, at about {time}."),
        P2("Yes, that's fine. Can I have your name?", "No problem. What name is it under?",
           when="booked"),
        P2("I'm afraid we're full at {time}. We have a table at {time2}.",
           "Sorry, {time} is fully booked. Would {time2} work?", when="other_time"),
        P1("{time2} is fine.", "Okay, {time2} then.", when="other_time"),
        P2("Good. Can I have your name?", "Great. What name is it under?", when="other_time"),
        P1("Under the name {surname}, please.", "It's {surname}.", "{surname}."),
        P2("Thank you. Your table is booked.", "All done. See you on {day}."),
        maybe(
            P1("Could we have {request}, please?", "Oh, and could we have {request}?"),
            P2("Of course. I've made a note of it.", "Certainly. No problem."),
        ),
    ),
    gist=(
        "#Person1# wants to reserve a table for {people} on {day}.",
        "#Person1# calls to book a table for {people} at {restaurant}.",
        "#Person1# books a table for {people} people.",
        "#Person1# phones #Person2# to make a dinner reservation for {people}.",
    ),
    details=(
        S("#Person2# reserves it for {day} at {time} under the name {surname}.",
          "The table is booked for {day} at {time}.", when="booked"),
        S("There is nothing free at {time}, so #Person1# takes {time2} on {day} instead.",
          "There is no table at {time}, but #Person1# accepts {time2} instead.",
          when="other_time"),
        S("#Person1# asks for {request}.", "#Person1# also requests {request}.", p=0.8),
    ),
)


def menu_choice(r: Random) -> tuple[str, str, str]:
    """The dish ordered, whether it is sold out, and what is eaten in the end."""
    dishes = ("the grilled salmon", "the mushroom risotto", "the chicken curry",
              "the vegetable lasagne", "the beef burger", "the lamb stew", "the fish of the day")
    dish, other = r.sample(dishes, 2)
    case = r.choice(("ok", "ok", "sold_out"))
    return case, dish, dish if case == "ok" else other


ORDERING = Family(
    name="ordering food at a restaurant",
    topics=("ordering food", "restaurant", "eating out"),
    slots={
        ("case", "dish", "meal"): menu_choice,
        "side": ("chips", "rice", "roast potatoes", "mashed potatoes", "grilled vegetables",
                 "a green salad"),
        "drink": ("a glass of red wine", "a lemonade", "sparkling water", "an orange juice",
                  "a beer", "a cup of tea"),
        "starter": ("the tomato soup", "the garlic bread", "a small salad", "the spring rolls"),
        "minutes": ("ten", "fifteen", "twenty"),
    },
    turns=(
        P1("Good evening. Are you ready to order?", "Hi there. What can I get you?",
           "Have you decided what you'd like?"),
        P2("Yes, I'll have {dish}, please.", "I'd like {dish}, please.",
           "Could I have {dish}?"),
        P1("{meal.cap}, good choice. What would you like on the side?",
           "Certainly, {meal}. And what would you like with it?", when="ok"),
        P1("I'm sorry, {dish} is finished for tonight. May I suggest {meal}?",
           "Sorry, {dish} is sold out. How about {meal} instead?", when="sold_out"),
        P2("Okay, I'll have that.", "Sure, that sounds good.", when="sold_out"),
        P1("What would you like on the side?", "And what would you like with it?",
           when="sold_out"),
        P2("{side.cap}, please.", "{side.cap}, I think."),
        maybe(
            P1("Would you like a starter as well?", "Anything to start with?"),
            P2("Yes, {starter}, please.", "Just {starter}, please."),
            p=0.4,
        ),
        P1("Anything to drink?", "And to drink?"),
        P2("{drink.cap}, please.", "Just {drink}, thanks."),
        P1("Very good. It'll be about {minutes} minutes.",
           "Thank you. Your food will be ready in about {minutes} minutes."),
    ),
    gist=(
        "#Person2# orders {meal} at a restaurant.",
        "#Person2# has dinner at a restaurant and orders {meal}.",
        "#Person1# takes #Person2#'s order for {meal}.",
        "#Person2# asks #Person1#, the waiter, for {meal}.",
    ),
    details=(
        S("#Person2# has it with {side} and orders {drink} to drink.",
          "#Person2# wants {side} with it and {drink}.", when="ok"),
        S("{dish.cap} is sold out, so #Person1# suggests {meal} instead.",
          "#Person2# first asks for {dish}, but it is sold out.", when="sold_out"),
        S("#Person2# has it with {side} and {drink}.", when="sold_out", p=0.8),
        S("#Person2# also orders {starter}.", "The food will take about {minutes} minutes.",
          p=0.5),
    ),
)

FAMILIES = (RENTING, MOVING, INVITATION, CATCHING_UP, WEATHER, CINEMA, RESTAURANT_BOOKING,
            ORDERING)
