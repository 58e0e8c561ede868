"""Greetings written for the generated AMD corpora, one set per corpus so that no phrase is shared between them
(nor with the development corpus). Kinds as in the development corpus's README: human single/long/twopart/double,
machine personal/short/carrier/ivr. {name} is filled with a first name, {org} with a business name."""

TUNE = {
    "names": ["Marisol", "Devon", "Priya", "Tobias", "Keisha", "Lars", "Imogen", "Rafael", "Yusuf", "Greta"],
    "orgs": ["Harbor Dental", "Pinecrest Realty", "Northgate Plumbing", "Bluebird Florists", "Summit Auto Glass"],
    "single": ["Hello?", "Yeah, hi, who's this?", "Hi there.", "Hello, {name} speaking.", "Yes?", "Hey, what's up?",
               "Good evening.", "Hello, who is it?", "Uh, hello?", "This is {name}.", "Hiya.", "Go ahead.",
               "Morning!", "Yep, hello.", "Who's calling?", "Hello, yes?", "Speaking.", "Hi, it's {name}."],
    "long": ["Hi, this is {name}, sorry, I was just in the other room.",
             "Hello, you've reached {name}, what can I do for you today?",
             "Yeah, hello, I think you might have the wrong number, who is this?",
             "Good afternoon, {org}, this is {name}, how can I help?",
             "Hey, I can barely hear you, can you say that again please?",
             "Hello, yes, this is she, who am I speaking with please?",
             "Hi, sorry, I'm driving right now, is this about the delivery?"],
    "twopart": [("Hello?", "Yes, this is {name}."), ("Hi.", "Who's this?"), ("Hello?", "Hello, can you hear me?"),
                ("Yeah?", "Who is it?"), ("Hi, {name} here.", "Go ahead."), ("Hello.", "Sorry, who?")],
    "double": [("Hello?", "Hello, anybody there?"), ("Hi.", "Hello? Are you there?"), ("Yes?", "Is someone there?"),
               ("Hello, {name}.", "Hello?")],
    "personal": ["Hi, you've reached {name}. I can't come to the phone right now, so leave your name and number "
                 "and I'll get back to you as soon as I can.",
                 "Hey, it's {name}. Sorry I missed you. Leave a message after the tone and have a great day.",
                 "Hello, this is {name}'s phone. I'm either away or on another call. Please leave a detailed "
                 "message and I will return your call.",
                 "You've reached the voicemail of {name}. Please leave a message, and I'll call you back later today.",
                 "Hi there, {name} here. I'm out of the office until Monday. Leave a message and I'll get back to you."],
    "short": ["Hi, it's {name}, leave a message.", "{name} here, leave a message.", "You've reached {name}.",
              "Hey, it's {name}. Talk to me.", "Leave a message for {name}.", "This is {name}, please leave a message."],
    "carrier": [["The person you are calling,", "{voice2}{name}", "is not available.",
                 "At the tone, please record your message."],
                ["Welcome to the voice messaging system.", "The subscriber you have dialed is not available.",
                 "Please leave a message after the tone."],
                ["Your call has been forwarded to an automated voice message system.", "{voice2}{name}",
                 "is not available. Record your message at the tone."],
                ["Please hold while your call is forwarded.", "The mailbox you have reached is not answering.",
                 "Leave a message at the tone, then hang up."]],
    "ivr": ["Thank you for calling {org}. Our office is currently closed. Our regular hours are Monday through "
            "Friday, eight until five.",
            "You have reached {org}. For sales, press one. For service, press two. For all other questions, "
            "please stay on the line.",
            "Thank you for calling {org}. All of our representatives are busy helping other customers. Please "
            "stay on the line and your call will be answered in the order it was received."],
}

HOLDOUT = {
    "names": ["Anneliese", "Corwin", "Beatriz", "Osei", "Fenella", "Hamish", "Ludmila", "Quentin", "Soraya", "Wendell"],
    "orgs": ["Riverside Veterinary", "Copperfield Insurance", "Oakline Movers", "Lakeshore Pharmacy", "Granite Roofing"],
    "single": ["Hullo?", "Yes, hello?", "Hi, who's calling please?", "{name} here.", "Hello, good morning.",
               "Mm, hello?", "Hi, go on.", "Evening.", "Yes, speaking.", "Who is this?", "Hello, {name}'s phone.",
               "Hey.", "Hi, can I help you?", "Hallo, yes?", "Right, hello?", "Yeah, go ahead.", "Hello there.",
               "Afternoon, {name}."],
    "long": ["Oh hello, sorry, I just walked in the door, who's calling?",
             "Hello, {name} speaking, I'm a bit busy, what's this about?",
             "Hi, yes, I got a missed call from this number earlier, I think.",
             "Good morning, {org}, you're speaking with {name}.",
             "Hello, sorry, the line is really bad, could you call me back?",
             "Yes hello, is this the pharmacy calling about my order?",
             "Hi, I'm just about to go into a meeting, can you be quick?"],
    "twopart": [("Hello?", "Yeah, who's this?"), ("Yes?", "Hello, who's calling?"), ("Hi.", "It's {name}, go on."),
                ("Hullo?", "Can you hear me?"), ("{name}.", "Who's that?"), ("Hello?", "Sorry, go ahead.")],
    "double": [("Hello?", "Hello? Anyone?"), ("Yes?", "Hello, is anyone there?"), ("Hi, {name}.", "Hello?"),
               ("Hullo.", "Are you still there?")],
    "personal": ["Hello, you're through to {name}. I'm not able to take your call at the moment, but if you leave "
                 "a message I'll ring you back.",
                 "Hi, this is {name}. I'm probably out walking the dog. Leave me a message and I'll call you later.",
                 "Hey, you've got {name}'s voicemail. You know what to do, leave a message and I'll get back to you.",
                 "This is {name}. I'm away from my desk right now. Please leave your name, number and a short message.",
                 "Hello, you have reached {name} and family. We can't get to the phone, so please leave a message."],
    "short": ["{name}, leave a message.", "It's {name}, leave a message.", "Hi, {name}'s voicemail.",
              "Not here, leave a message.", "{name}. Message, please.", "You've got {name}, leave a message."],
    "carrier": [["The number you have called,", "{voice2}{name}", "is unavailable.",
                 "Please leave your message after the tone."],
                ["Hello.", "The mobile you are calling is switched off.", "To leave a message, please wait for the tone."],
                ["You have been connected to the voicemail service for", "{voice2}{name}",
                 "Please speak after the tone."],
                ["Sorry.", "The person you are trying to reach cannot take your call.",
                 "Leave a message after the tone."]],
    "ivr": ["Welcome to {org}. If you know your party's extension, you may dial it at any time. For opening hours, "
            "press one.",
            "Thank you for calling {org}. We are closed for the holiday and will reopen on Tuesday morning. "
            "Please call back then.",
            "You've reached {org}. Calls may be recorded for training purposes. Please hold and the next available "
            "agent will be with you shortly."],
}
