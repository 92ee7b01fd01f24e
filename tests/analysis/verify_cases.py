"""Faithful answers written by hand, the way a good model writes them, for the verifier's tests and bench.

Each case is ``(pass_name, lang, source, answer, context)``: an easy-to-read rewrite with simpler
words, plain language, key points, glossary definitions (source: the sentence where the term occurs;
context: more of the course), alt texts (source: the caption; context: the surrounding text) and
translations (French -> English). The verifier must accept every one of them; the perturbations of
tests/llm/perturbations.py applied to them must be caught. Texts come from samples/ (the project's
own documents).
"""

from __future__ import annotations

PHOTO = {
    "b5": (
        "Les plantes vertes ne mangent pas. Elles fabriquent elles-mêmes la matière dont elles ont besoin. "
        "Pour cela, elles utilisent la lumière du Soleil. Ce mécanisme s'appelle la photosynthèse."
    ),
    "b6": (
        "La photosynthèse est un processus biochimique par lequel les organismes chlorophylliens, "
        "c'est-à-dire les plantes, les algues et certaines bactéries, transforment l'énergie lumineuse en "
        "énergie chimique stockée dans des molécules organiques, ce qui permet ensuite à presque tous les "
        "êtres vivants de la planète de se nourrir, directement ou indirectement, en consommant ces organismes."
    ),
    "b7": (
        "Pour réaliser la photosynthèse, la plante a besoin de lumière, d'eau, de dioxyde de carbone et de sels "
        "minéraux. Elle rejette du dioxygène dans l'air."
    ),
    "b10": (
        "La feuille est l'organe principal de la photosynthèse. Sa surface large capte beaucoup de lumière. "
        "Sur sa face inférieure, de petits orifices appelés stomates laissent entrer le dioxyde de carbone et "
        "sortir le dioxygène et la vapeur d'eau ; la plante peut les fermer quand il fait trop chaud, mais elle "
        "limite alors aussi l'entrée du dioxyde de carbone et donc la photosynthèse."
    ),
    "b12": (
        "Dans les cellules de la feuille se trouvent des organites verts, les chloroplastes. Ils contiennent un "
        "pigment, la chlorophylle, qui absorbe surtout la lumière bleue et la lumière rouge. La lumière verte "
        "est en grande partie renvoyée, ce qui explique la couleur des feuilles."
    ),
    "b13": (
        "Une cellule de feuille contient en général de 20 à 100 chloroplastes, et chaque chloroplaste mesure "
        "environ 5 micromètres de long, soit à peu près un dixième de l'épaisseur d'un cheveu."
    ),
    "b15": (
        "On résume la photosynthèse par une équation bilan : six molécules de dioxyde de carbone et six "
        "molécules d'eau donnent, grâce à l'énergie de la lumière, une molécule de glucose et six molécules "
        "de dioxygène."
    ),
    "b20": (
        "Les produits de la réaction sont : le glucose, le dioxygène et l'eau formée dans certaines étapes. Le "
        "glucose sert de source d'énergie à la plante, mais il sert aussi de matériau de construction, car la "
        "plante le transforme en amidon, en cellulose et en de nombreuses autres molécules."
    ),
    "b22": (
        "La photosynthèse se déroule en deux phases. La phase claire a lieu dans les membranes des thylakoïdes "
        "et a besoin de lumière ; elle produit de l'énergie chimique et libère le dioxygène. La phase sombre, "
        "appelée aussi cycle de Calvin, a lieu dans le stroma et utilise cette énergie pour fixer le carbone."
    ),
    "b26": (
        "On observe que la production augmente avec la lumière, puis se stabilise. Au-delà d'un certain "
        "éclairement, un autre facteur devient limitant, par exemple la quantité de dioxyde de carbone dissous "
        "dans l'eau, et la plante ne peut plus produire davantage de dioxygène même si on l'éclaire plus fort."
    ),
    "b31": (
        "La photosynthèse produit presque tout le dioxygène de l'air que nous respirons. Elle est aussi à la "
        "base des chaînes alimentaires : les herbivores mangent les plantes, et les carnivores mangent les "
        "herbivores."
    ),
    "b32": (
        "Enfin, la photosynthèse retire du dioxyde de carbone de l'atmosphère. Les forêts, les prairies et les "
        "océans stockent ainsi une partie du carbone émis par les activités humaines, ce qui limite le "
        "réchauffement climatique, mais ce stockage ne suffit pas à compenser toutes les émissions."
    ),
    "hist": (
        "En 1779, Jan Ingenhousz montre que les plantes produisent du dioxygène à la lumière ; il publie ses "
        "résultats à Londres la même année. Les forêts couvrent 31 % des terres émergées, soit 4,06 milliards "
        "d'hectares en 2020."
    ),
}
WATER = {
    "b4": (
        "Water moves all the time between the oceans, the air and the land. This never-ending journey is called "
        "the water cycle. The Sun gives the energy that drives it, and gravity brings the water back down."
    ),
    "b5": (
        "Although the total amount of water on Earth stays almost the same over thousands of years, the water in "
        "any one place, whether a lake, a cloud or an underground layer of rock, is constantly replaced, which "
        "is why the same molecule may have been part of an ocean, a glacier and a river."
    ),
    "b10": (
        "Most water vapour comes from the oceans. Plants also release water through their leaves; this is "
        "called transpiration. Together, the two processes are called evapotranspiration."
    ),
    "res": (
        "Oceans hold 96.5 % of all the water on Earth, and water stays there about 3,000 years. Water stays in "
        "the atmosphere for about 9 days."
    ),
}

EASY_READ = [
    (
        "fr",
        PHOTO["b5"],
        "Les plantes vertes ne mangent pas. Elles fabriquent leur matière elles-mêmes. "
        "Pour cela, elles utilisent la lumière du Soleil. On appelle cela la photosynthèse.",
    ),
    (
        "fr",
        PHOTO["b6"],
        "La photosynthèse transforme l'énergie de la lumière en énergie chimique. "
        "Les plantes, les algues et certaines bactéries font la photosynthèse. "
        "On les appelle des organismes chlorophylliens. "
        "L'énergie chimique est gardée dans des molécules organiques. "
        "Presque tous les êtres vivants de la planète se nourrissent grâce à ces organismes.",
    ),
    (
        "fr",
        PHOTO["b7"],
        "Pour faire la photosynthèse, la plante a besoin de 4 choses : "
        "la lumière, l'eau, le dioxyde de carbone et les sels minéraux. "
        "La plante rejette du dioxygène dans l'air.",
    ),
    (
        "fr",
        PHOTO["b10"],
        "La feuille est l'organe principal de la photosynthèse. Sa grande surface capte beaucoup "
        "de lumière. Sous la feuille, il y a de petits trous : les stomates. "
        "Les stomates laissent entrer le dioxyde de carbone. "
        "Ils laissent sortir le dioxygène et la vapeur d'eau. "
        "Quand il fait trop chaud, la plante ferme les stomates. "
        "Alors, le dioxyde de carbone entre moins et la photosynthèse diminue.",
    ),
    (
        "fr",
        PHOTO["b12"],
        "Les cellules de la feuille contiennent des organites verts : les chloroplastes. "
        "Les chloroplastes contiennent un pigment : la chlorophylle. "
        "La chlorophylle absorbe surtout la lumière bleue et la lumière rouge. "
        "La lumière verte est renvoyée. C'est pour cela que les feuilles sont vertes.",
    ),
    (
        "fr",
        PHOTO["b13"],
        "Une cellule de feuille contient souvent de 20 à 100 chloroplastes. "
        "Un chloroplaste mesure environ 5 micromètres de long. "
        "C'est à peu près un dixième de l'épaisseur d'un cheveu.",
    ),
    (
        "fr",
        PHOTO["b15"],
        "On résume la photosynthèse par une équation bilan. "
        "6 molécules de dioxyde de carbone et 6 molécules d'eau donnent 1 molécule de glucose "
        "et 6 molécules de dioxygène. Il faut l'énergie de la lumière.",
    ),
    (
        "fr",
        PHOTO["b20"],
        "La réaction produit du glucose, du dioxygène et de l'eau. "
        "Le glucose donne de l'énergie à la plante. "
        "Le glucose sert aussi à construire la plante. "
        "La plante le transforme en amidon, en cellulose et en beaucoup d'autres molécules.",
    ),
    (
        "fr",
        PHOTO["b22"],
        "La photosynthèse a 2 phases. La phase claire a lieu dans les membranes des thylakoïdes. "
        "Elle a besoin de lumière. Elle produit de l'énergie chimique et libère le dioxygène. "
        "La phase sombre s'appelle aussi le cycle de Calvin. Elle a lieu dans le stroma. "
        "Elle utilise l'énergie pour fixer le carbone.",
    ),
    (
        "fr",
        PHOTO["b26"],
        "La production augmente avec la lumière, puis elle reste stable. "
        "Avec beaucoup de lumière, un autre facteur limite la production. "
        "Par exemple, la quantité de dioxyde de carbone dans l'eau. "
        "La plante ne peut pas produire plus de dioxygène, même avec plus de lumière.",
    ),
    (
        "fr",
        PHOTO["b31"],
        "La photosynthèse produit presque tout le dioxygène de l'air. Nous respirons ce dioxygène. "
        "La photosynthèse est aussi la base des chaînes alimentaires. "
        "Les herbivores mangent les plantes. Les carnivores mangent les herbivores.",
    ),
    (
        "fr",
        PHOTO["b32"],
        "La photosynthèse retire du dioxyde de carbone de l'atmosphère. "
        "Les forêts, les prairies et les océans gardent une partie du carbone émis par les humains. "
        "Cela limite le réchauffement climatique. "
        "Mais cela ne suffit pas à compenser toutes les émissions.",
    ),
    (
        "fr",
        PHOTO["hist"],
        "En 1779, Jan Ingenhousz montre une chose : les plantes produisent du dioxygène à la "
        "lumière. Il publie ses résultats à Londres la même année. "
        "Les forêts couvrent 31 % des terres émergées. Cela fait 4,06 milliards d'hectares en 2020.",
    ),
    (
        "en",
        WATER["b4"],
        "Water moves all the time. It moves between the oceans, the air and the land. "
        "This journey never ends. It is called the water cycle. "
        "The Sun gives the energy for the cycle. Gravity brings the water back down.",
    ),
    (
        "en",
        WATER["b5"],
        "The total amount of water on Earth stays almost the same for thousands of years. "
        "But the water in one place is always replaced. "
        "This place can be a lake, a cloud or a layer of rock under the ground. "
        "So the same molecule may have been in an ocean, a glacier and a river.",
    ),
    (
        "en",
        WATER["b10"],
        "Most water vapour comes from the oceans. Plants also release water through their "
        "leaves. This is called transpiration. "
        "The two processes together are called evapotranspiration.",
    ),
    (
        "en",
        WATER["res"],
        "Oceans hold 96.5 % of all the water on Earth. Water stays in the oceans about 3,000 "
        "years. Water stays in the atmosphere for about 9 days.",
    ),
]

PLAIN = [
    (
        "fr",
        PHOTO["b6"],
        "La photosynthèse est un processus biochimique : les organismes chlorophylliens "
        "(plantes, algues et certaines bactéries) transforment l'énergie lumineuse en énergie "
        "chimique. Cette énergie est stockée dans des molécules organiques. Presque tous les êtres "
        "vivants de la planète s'en nourrissent, directement ou en consommant ces organismes.",
    ),
    (
        "fr",
        PHOTO["b10"],
        "La feuille est le principal organe de la photosynthèse ; sa large surface capte beaucoup "
        "de lumière. Sous la feuille, de petits orifices, les stomates, laissent entrer le dioxyde "
        "de carbone et sortir le dioxygène et la vapeur d'eau. Quand il fait trop chaud, la plante "
        "les ferme, ce qui limite aussi l'entrée du dioxyde de carbone et donc la photosynthèse.",
    ),
    (
        "fr",
        PHOTO["b32"],
        "Enfin, la photosynthèse retire du dioxyde de carbone de l'atmosphère. Les forêts, les "
        "prairies et les océans stockent une partie du carbone émis par les activités humaines. "
        "Cela limite le réchauffement climatique, sans compenser toutes les émissions.",
    ),
    (
        "en",
        WATER["b5"],
        "The total amount of water on Earth stays almost the same over thousands of years. Yet the "
        "water in any one place (a lake, a cloud, an underground layer of rock) is constantly "
        "replaced, so the same molecule may have been part of an ocean, a glacier and a river.",
    ),
]

SUMMARY = [
    (
        "fr",
        "\n".join([PHOTO["b5"], PHOTO["b6"], PHOTO["b7"]]),
        [
            "Les plantes vertes fabriquent leur matière avec la lumière du Soleil : c'est la photosynthèse.",
            "La photosynthèse transforme l'énergie lumineuse en énergie chimique.",
            "La plante a besoin de lumière, d'eau, de dioxyde de carbone et de sels minéraux ; elle rejette du "
            "dioxygène.",
        ],
    ),
    (
        "fr",
        "\n".join([PHOTO["b10"], PHOTO["b12"], PHOTO["b13"]]),
        [
            "La feuille est l'organe principal de la photosynthèse.",
            "Les stomates laissent entrer le dioxyde de carbone et sortir le dioxygène.",
            "Les chloroplastes contiennent la chlorophylle, un pigment vert.",
            "Une cellule de feuille contient de 20 à 100 chloroplastes.",
        ],
    ),
    (
        "fr",
        "\n".join([PHOTO["b15"], PHOTO["b20"], PHOTO["b22"]]),
        [
            "6 molécules de dioxyde de carbone et 6 molécules d'eau donnent 1 molécule de glucose et 6 de dioxygène.",
            "Le glucose est une source d'énergie et un matériau de construction pour la plante.",
            "La photosynthèse a deux phases : la phase claire et le cycle de Calvin.",
        ],
    ),
    (
        "fr",
        "\n".join([PHOTO["b31"], PHOTO["b32"], PHOTO["hist"]]),
        [
            "La photosynthèse produit presque tout le dioxygène de l'air.",
            "Elle est à la base des chaînes alimentaires.",
            "En 1779, Jan Ingenhousz montre que les plantes produisent du dioxygène à la lumière.",
        ],
    ),
    (
        "en",
        "\n".join([WATER["b4"], WATER["b5"], WATER["b10"]]),
        [
            "Water moves all the time between the oceans, the air and the land: this is the water cycle.",
            "The Sun gives the energy and gravity brings the water back down.",
            "Plants release water through their leaves: this is called transpiration.",
        ],
    ),
    (
        "en",
        WATER["res"],
        ["Oceans hold 96.5 % of the water on Earth.", "Water stays about 9 days in the atmosphere."],
    ),
]

DOCUMENT_FR = "\n".join(PHOTO.values())
DOCUMENT_EN = "\n".join(WATER.values())
GLOSSARY = [
    (
        "fr",
        "chlorophylle",
        "Ils contiennent un pigment, la chlorophylle, qui absorbe surtout la lumière bleue et la "
        "lumière rouge.",
        "Pigment vert des feuilles qui absorbe la lumière.",
    ),
    (
        "fr",
        "stomates",
        "Sur sa face inférieure, de petits orifices appelés stomates laissent entrer le dioxyde de carbone.",
        "Petits trous sous la feuille qui laissent entrer et sortir les gaz.",
    ),
    (
        "fr",
        "chloroplastes",
        "Dans les cellules de la feuille se trouvent des organites verts, les chloroplastes.",
        "Petites parties vertes des cellules de la feuille où se fait la photosynthèse.",
    ),
    (
        "fr",
        "thylakoïdes",
        "La phase claire a lieu dans les membranes des thylakoïdes et a besoin de lumière.",
        "Petits sacs dans le chloroplaste où la lumière est captée.",
    ),
    (
        "fr",
        "stroma",
        "La phase sombre a lieu dans le stroma et utilise cette énergie pour fixer le carbone.",
        "Liquide à l'intérieur du chloroplaste où le carbone est fixé.",
    ),
    (
        "fr",
        "amidon",
        "La plante le transforme en amidon, en cellulose et en de nombreuses autres molécules.",
        "Réserve de sucre que la plante fabrique à partir du glucose.",
    ),
    (
        "fr",
        "herbivores",
        "Les herbivores mangent les plantes, et les carnivores mangent les herbivores.",
        "Animaux qui mangent des plantes.",
    ),
    (
        "fr",
        "éclairement",
        "Au-delà d'un certain éclairement, un autre facteur devient limitant.",
        "Quantité de lumière qui arrive sur la plante.",
    ),
    (
        "en",
        "transpiration",
        "Plants also release water through their leaves; this is called transpiration.",
        "The water that plants give off through their leaves.",
    ),
    (
        "en",
        "evapotranspiration",
        "Together, the two processes are called evapotranspiration.",
        "Water going into the air from the oceans and from plants together.",
    ),
    (
        "en",
        "glacier",
        "The same molecule may have been part of an ocean, a glacier and a river.",
        "A large mass of ice that moves slowly over land.",
    ),
    (
        "en",
        "gravity",
        "The Sun gives the energy that drives it, and gravity brings the water back down.",
        "The force that pulls things down towards the Earth.",
    ),
]

ALT_TEXT = [
    (
        "fr",
        "Figure 1 : nombre de bulles de dioxygène par minute en fonction de l'éclairement (données du tableau 1).",
        PHOTO["b26"],
        "Courbe du nombre de bulles de dioxygène par minute selon l'éclairement : elle monte puis "
        "se stabilise.",
    ),
    (
        "fr",
        "Schéma d'une cellule animale : une membrane ovale entoure le cytoplasme, un noyau violet au centre et "
        "quatre mitochondries orange.",
        "La membrane entoure la cellule. Le noyau contient l'ADN.",
        "Schéma d'une cellule animale : la membrane, le cytoplasme, le noyau au centre et 4 mitochondries.",
    ),
    (
        "fr",
        "Coupe d'une feuille",
        PHOTO["b10"],
        "Coupe d'une feuille avec les stomates sur la face inférieure.",
    ),
    (
        "fr",
        "Les étapes de la photosynthèse",
        PHOTO["b22"],
        "Schéma des deux phases de la photosynthèse : la phase claire et le cycle de Calvin.",
    ),
    (
        "en",
        "Figure 1: Share of the Earth's water in each reservoir.",
        WATER["res"],
        "Bar chart of the share of the Earth's water in each reservoir: the oceans hold almost all of it.",
    ),
    (
        "en",
        "The water cycle",
        WATER["b4"],
        "Diagram of the water cycle: water moves between the oceans, the air and the land.",
    ),
]

TRANSLATION = [
    (
        PHOTO["b5"],
        "Green plants do not eat. They make the matter they need themselves. To do this, they use the "
        "light of the Sun. This mechanism is called photosynthesis.",
        {"photosynthèse": "photosynthesis"},
    ),
    (
        PHOTO["b7"],
        "To carry out photosynthesis, the plant needs light, water, carbon dioxide and mineral salts. It "
        "releases oxygen into the air.",
        {"dioxygène": "oxygen", "photosynthèse": "photosynthesis"},
    ),
    (
        PHOTO["b12"],
        "In the cells of the leaf there are green organelles, the chloroplasts. They contain a pigment, "
        "chlorophyll, which mainly absorbs blue light and red light. Green light is largely reflected, "
        "which explains the colour of leaves.",
        {"chlorophylle": "chlorophyll", "chloroplaste": "chloroplast"},
    ),
    (
        PHOTO["b13"],
        "A leaf cell usually contains from 20 to 100 chloroplasts, and each chloroplast is about 5 "
        "micrometres long, roughly a tenth of the thickness of a hair.",
        {"chloroplaste": "chloroplast"},
    ),
    (
        PHOTO["b15"],
        "Photosynthesis is summed up by an overall equation: six molecules of carbon dioxide and six "
        "molecules of water give, thanks to the energy of light, one molecule of glucose and six molecules "
        "of oxygen.",
        {"dioxygène": "oxygen"},
    ),
    (
        PHOTO["b22"],
        "Photosynthesis takes place in two phases. The light phase takes place in the membranes of the "
        "thylakoids and needs light; it produces chemical energy and releases oxygen. The dark phase, also "
        "called the Calvin cycle, takes place in the stroma and uses this energy to fix carbon.",
        {"dioxygène": "oxygen"},
    ),
    (
        PHOTO["b31"],
        "Photosynthesis produces almost all the oxygen in the air we breathe. It is also the basis of "
        "food chains: herbivores eat plants, and carnivores eat herbivores.",
        {"dioxygène": "oxygen"},
    ),
    (
        PHOTO["hist"],
        "In 1779, Jan Ingenhousz showed that plants produce oxygen in light; he published his results "
        "in London the same year. Forests cover 31 % of the land surface, or 4.06 billion hectares in "
        "2020.",
        {"dioxygène": "oxygen"},
    ),
]


# -- texts of our own, not used to tune the verifier ------------------------------------------------
# Written for these tests (not from samples/): the verifier's thresholds and lexicon were set on the texts
# above; these check that they hold on other subjects. Each faithful answer varies its wording the way a
# model does: order, synonyms, number words ("trois" / "3"), "%" / "pour cent", dates in another format,
# "CO2" / "CO₂".

OWN_FR = {
    "volcan": (
        "Le Vésuve est un volcan situé près de Naples, en Italie. Le 24 août 79, son éruption a enseveli "
        "les villes de Pompéi et d'Herculanum sous plusieurs mètres de cendres. Environ 2 000 habitants "
        "sont morts à Pompéi. Les fouilles ont commencé en 1748 et se poursuivent encore aujourd'hui."
    ),
    "digestion": (
        "La digestion transforme les aliments en nutriments que le sang transporte vers les organes. Elle "
        "commence dans la bouche, où la salive contient une enzyme, l'amylase. L'intestin grêle mesure "
        "environ 7 mètres ; c'est là que la plupart des nutriments passent dans le sang."
    ),
    "eau": (
        "En France, chaque habitant consomme en moyenne 148 litres d'eau potable par jour. Seulement 1 % "
        "de cette eau sert à boire ; la toilette et les sanitaires en utilisent près de 60 %. L'eau du "
        "robinet est contrôlée par les agences régionales de santé."
    ),
    "climat": (
        "Les voitures rejettent du CO2 quand elles brûlent de l'essence. En 2019, les transports ont "
        "produit 31 % des émissions de gaz à effet de serre de la France. Trois solutions existent : "
        "marcher, prendre le vélo ou utiliser les transports en commun."
    ),
    "revolution": (
        "Le 14 juillet 1789, les Parisiens prennent la Bastille, une prison royale. Cet événement marque "
        "le début de la Révolution française. Le 26 août 1789, l'Assemblée nationale adopte la Déclaration "
        "des droits de l'homme et du citoyen."
    ),
}
OWN_EN = {
    "vaccine": (
        "In 1796, Edward Jenner tested the first vaccine on an eight-year-old boy, James Phipps. He used "
        "material from a cowpox sore to protect the child against smallpox. Smallpox was declared "
        "eradicated by the World Health Organization in 1980."
    ),
    "aqueduct": (
        "The Romans built aqueducts to bring fresh water into their cities. The Aqua Appia, the first of "
        "them, was finished in 312 BC and was about 16 kilometres long. Most of its channel ran underground "
        "to protect the water from dirt and enemies."
    ),
    "bees": (
        "A honeybee colony can hold 50,000 workers in summer. Worker bees live for about six weeks; the "
        "queen can live for up to 5 years. Bees pollinate about 35 % of the crops that people eat."
    ),
    "moon": (
        "On 20 July 1969, Neil Armstrong and Buzz Aldrin landed on the Moon with Apollo 11. Michael Collins "
        "stayed in orbit in the command module. The astronauts brought back 21.5 kilograms of lunar rock."
    ),
}

MODEL_LIKE = [
    # easy-to-read rewrites: shorter sentences, reordering, number words, another date format
    (
        "easy_read",
        "fr",
        OWN_FR["volcan"],
        "Le Vésuve est un volcan. Il se trouve en Italie, près de Naples. "
        "Le 24/08/79, il entre en éruption. Des mètres de cendres recouvrent Pompéi et Herculanum. "
        "À Pompéi, environ 2000 habitants meurent. On fouille ces villes depuis 1748. "
        "Les fouilles continuent aujourd'hui.",
    ),
    (
        "easy_read",
        "fr",
        OWN_FR["digestion"],
        "La digestion commence dans la bouche. La salive contient une enzyme : l'amylase. "
        "La digestion change les aliments en nutriments. Le sang transporte les nutriments vers les organes. "
        "L'intestin grêle mesure environ sept mètres. La plupart des nutriments passent dans le sang à cet endroit.",
    ),
    (
        "easy_read",
        "fr",
        OWN_FR["eau"],
        "En France, une personne utilise en moyenne 148 litres d'eau potable chaque jour. "
        "On boit seulement 1 pour cent de cette eau. "
        "La toilette et les sanitaires prennent presque 60 pour cent de l'eau. "
        "Les agences régionales de santé contrôlent l'eau du robinet.",
    ),
    (
        "easy_read",
        "fr",
        OWN_FR["climat"],
        "Quand les voitures brûlent de l'essence, elles rejettent du CO₂. "
        "En 2019, les transports ont produit 31 % des émissions de gaz à effet de serre en France. "
        "Il y a 3 solutions : marcher, faire du vélo ou prendre les transports en commun.",
    ),
    (
        "easy_read",
        "fr",
        OWN_FR["revolution"],
        "Le 14 juillet 1789, les habitants de Paris prennent la Bastille. La Bastille est une prison du roi. "
        "C'est le début de la Révolution française. "
        "Le 26/08/1789, l'Assemblée nationale adopte la Déclaration des droits de l'homme et du citoyen.",
    ),
    (
        "easy_read",
        "en",
        OWN_EN["vaccine"],
        "Edward Jenner tested the first vaccine in 1796. He tested it on James Phipps, a boy of 8. "
        "He took material from a cowpox sore. It protected the child against smallpox. "
        "In 1980, the World Health Organization said smallpox was gone for good.",
    ),
    (
        "easy_read",
        "en",
        OWN_EN["bees"],
        "In summer, a honeybee colony can have 50 000 workers. A worker bee lives for about 6 weeks. "
        "The queen can live for up to five years. "
        "Bees pollinate about 35 per cent of the crops that people eat.",
    ),
    (
        "easy_read",
        "en",
        OWN_EN["moon"],
        "Neil Armstrong and Buzz Aldrin landed on the Moon with Apollo 11 on July 20, 1969. "
        "Michael Collins stayed in orbit in the command module. "
        "The astronauts brought back 21.5 kg of rock from the Moon.",
    ),
    # plain language
    (
        "plain",
        "fr",
        OWN_FR["volcan"],
        "Le Vésuve, un volcan proche de Naples en Italie, est entré en éruption le 24 août 79. Ses cendres "
        "ont enseveli Pompéi et Herculanum sous plusieurs mètres. À Pompéi, environ 2 000 habitants sont morts. "
        "Commencées en 1748, les fouilles se poursuivent encore.",
    ),
    (
        "plain",
        "fr",
        OWN_FR["eau"],
        "En France, un habitant consomme en moyenne 148 litres d'eau potable par jour. Seul 1 % sert à boire, "
        "alors que la toilette et les sanitaires en utilisent près de 60 %. Les agences régionales de santé "
        "contrôlent l'eau du robinet.",
    ),
    (
        "plain",
        "en",
        OWN_EN["aqueduct"],
        "To bring fresh water into their cities, the Romans built aqueducts. The first, the Aqua Appia, was "
        "finished in 312 BC and was about sixteen kilometres long. Most of its channel ran underground, which "
        "protected the water from dirt and from enemies.",
    ),
    (
        "plain",
        "en",
        OWN_EN["moon"],
        "Neil Armstrong and Buzz Aldrin landed on the Moon with Apollo 11 on 20 July 1969, while Michael "
        "Collins stayed in orbit in the command module. They brought back 21.5 kilograms of lunar rock.",
    ),
    # key points
    (
        "summary",
        "fr",
        "\n".join([OWN_FR["climat"], OWN_FR["eau"]]),
        "Les transports ont produit 31 % des émissions de gaz à effet de serre de la France en 2019.\n"
        "Trois solutions : la marche, le vélo, les transports en commun.\n"
        "Un habitant consomme 148 litres d'eau potable par jour en moyenne.",
    ),
    (
        "summary",
        "en",
        "\n".join([OWN_EN["bees"], OWN_EN["vaccine"]]),
        "A colony can hold 50,000 workers in summer.\n"
        "Bees pollinate about 35 % of the crops we eat.\n"
        "Edward Jenner tested the first vaccine in 1796.",
    ),
    # glossary definitions (source: the sentence; context: the text)
    (
        "glossary",
        "fr",
        "Elle commence dans la bouche, où la salive contient une enzyme, l'amylase.",
        "Enzyme de la salive qui commence la digestion des aliments.",
        OWN_FR["digestion"],
    ),
    (
        "glossary",
        "en",
        "He used material from a cowpox sore to protect the child against smallpox.",
        "A disease that the first vaccine protected people against.",
        OWN_EN["vaccine"],
    ),
    (
        "glossary",
        "fr",
        "Le 14 juillet 1789, les Parisiens prennent la Bastille, une prison royale.",
        "Prison royale de Paris, prise par les Parisiens le 14 juillet 1789.",
        OWN_FR["revolution"],
    ),
    (
        "glossary",
        "fr",
        "L'intestin grêle mesure environ 7 mètres ; c'est là que la plupart des nutriments passent dans le sang.",
        "Partie du tube digestif, longue d'environ 7 mètres, où les nutriments passent dans le sang.",
        OWN_FR["digestion"],
    ),
    # alt text (source: caption; context: the text around)
    (
        "alt_text",
        "en",
        "Chart of the number of workers in a honeybee colony from spring to autumn.",
        "Line chart of the workers in a honeybee colony: about 50,000 in summer, fewer in spring and autumn.",
        OWN_EN["bees"],
    ),
    (
        "alt_text",
        "en",
        "Photo of the Apollo 11 crew, July 1969.",
        "Photo of the three Apollo 11 astronauts in July 1969: Neil Armstrong, Michael Collins and Buzz Aldrin.",
        OWN_EN["moon"],
    ),
    (
        "alt_text",
        "fr",
        "Carte de la baie de Naples avec le Vésuve, Pompéi et Herculanum.",
        "Carte de la baie de Naples : le Vésuve, et au pied du volcan Pompéi et Herculanum.",
        OWN_FR["volcan"],
    ),
    (
        "alt_text",
        "en",
        "Photo of an arch of a Roman aqueduct.",
        "Photo of a stone arch of a Roman aqueduct that brought water to a city.",
        OWN_EN["aqueduct"],
    ),
]
"""(pass, lang, source, faithful answer[, context]) on our own texts."""

OWN_TRANSLATIONS = [
    # (source lang, source, target lang, faithful translation, glossary)
    (
        "fr",
        OWN_FR["volcan"],
        "en",
        "Vesuvius is a volcano near Naples, in Italy. On 24 August 79, its eruption buried the towns of "
        "Pompeii and Herculaneum under several metres of ash. About 2,000 inhabitants died in Pompeii. "
        "Excavations began in 1748 and are still going on today.",
        {},
    ),
    (
        "fr",
        OWN_FR["digestion"],
        "en",
        "Digestion turns food into nutrients that the blood carries to the organs. It starts in the mouth, "
        "where saliva contains an enzyme, amylase. The small intestine is about 7 metres long; that is where "
        "most nutrients pass into the blood.",
        {"intestin grêle": "small intestine"},
    ),
    (
        "fr",
        OWN_FR["eau"],
        "en",
        "In France, each person uses on average 148 litres of drinking water a day. Only 1% of this water "
        "is drunk; washing and toilets use almost 60%. Tap water is checked by the regional health agencies.",
        {"eau potable": "drinking water"},
    ),
    (
        "fr",
        OWN_FR["climat"],
        "en",
        "Cars release CO₂ when they burn petrol. In 2019, transport produced 31 % of France's greenhouse gas "
        "emissions. There are three solutions: walking, cycling or using public transport.",
        {"gaz à effet de serre": "greenhouse gas"},
    ),
    (
        "fr",
        OWN_FR["revolution"],
        "en",
        "On 14 July 1789, the people of Paris stormed the Bastille, a royal prison. This event marks the "
        "beginning of the French Revolution. On August 26, 1789, the National Assembly adopted the "
        "Declaration of the Rights of Man and of the Citizen.",
        {},
    ),
    (
        "en",
        OWN_EN["vaccine"],
        "fr",
        "En 1796, Edward Jenner teste le premier vaccin sur un garçon de huit ans, James Phipps. Il utilise "
        "du pus d'une lésion de variole de la vache pour protéger l'enfant contre la variole. "
        "L'Organisation mondiale de la santé a déclaré la variole éradiquée en 1980.",
        {},
    ),
    (
        "en",
        OWN_EN["aqueduct"],
        "fr",
        "Les Romains construisaient des aqueducs pour amener de l'eau douce dans leurs villes. L'Aqua Appia, "
        "le premier d'entre eux, fut achevé en 312 av. J.-C. et mesurait environ 16 kilomètres. La plus "
        "grande partie de son canal passait sous terre pour protéger l'eau de la saleté et des ennemis.",
        {},
    ),
    (
        "en",
        OWN_EN["bees"],
        "fr",
        "Une colonie d'abeilles peut compter 50 000 ouvrières en été. Les ouvrières vivent environ six "
        "semaines ; la reine peut vivre jusqu'à 5 ans. Les abeilles pollinisent environ 35 % des cultures "
        "que nous mangeons.",
        {},
    ),
    (
        "en",
        OWN_EN["moon"],
        "fr",
        "Le 20 juillet 1969, Neil Armstrong et Buzz Aldrin se sont posés sur la Lune avec Apollo 11. Michael "
        "Collins est resté en orbite dans le module de commande. Les astronautes ont rapporté 21,5 kilogrammes "
        "de roche lunaire.",
        {},
    ),
]


# -- held out: written after the verifier was last changed, and not used to change it ----------------

HELD_FR = {
    "jupiter": (
        "Jupiter est la plus grande planète du Système solaire. Elle est environ 11 fois plus large que la "
        "Terre. Galilée a découvert ses quatre plus grandes lunes en janvier 1610 avec une lunette."
    ),
    "budget": (
        "La mairie de Lille consacre 12 % de son budget aux écoles. En 2022, elle a rénové 14 cantines et "
        "planté 300 arbres dans les cours de récréation. Les travaux ont coûté 4,5 millions d'euros."
    ),
}
HELD_EN = {
    "printing": (
        "Johannes Gutenberg built a printing press in Mainz around 1450. His Bible was printed in about 180 "
        "copies. Before the press, books were copied by hand, which could take a scribe several months."
    ),
    "heart": (
        "The human heart beats about 100,000 times a day. It has four chambers: two atria and two "
        "ventricles. William Harvey described how blood circulates through the body in 1628."
    ),
}
HELD_OUT = [
    (
        "easy_read",
        "fr",
        HELD_FR["jupiter"],
        "Jupiter est la plus grande planète du Système solaire. Elle est à peu près onze fois plus large que "
        "la Terre. En janvier 1610, Galilée a découvert 4 grandes lunes de Jupiter. Il a utilisé une lunette.",
    ),
    (
        "easy_read",
        "fr",
        HELD_FR["budget"],
        "La mairie de Lille donne 12 pour cent de son budget aux écoles. En 2022, la mairie a rénové 14 "
        "cantines. Elle a aussi planté 300 arbres dans les cours de récréation. "
        "Ces travaux ont coûté 4,5 millions d'euros.",
    ),
    (
        "plain",
        "en",
        HELD_EN["printing"],
        "Around 1450, Johannes Gutenberg built a printing press in Mainz. About 180 copies of his Bible were "
        "printed. Before the press, a scribe copied books by hand, which could take several months.",
    ),
    (
        "easy_read",
        "en",
        HELD_EN["heart"],
        "Your heart beats about 100 000 times every day. The heart has 4 chambers. There are 2 atria and 2 "
        "ventricles. In 1628, William Harvey explained how blood moves around the body.",
    ),
    (
        "summary",
        "en",
        "\n".join(HELD_EN.values()),
        "Gutenberg built a printing press in Mainz around 1450.\nThe heart beats about 100,000 times a day.",
    ),
    (
        "glossary",
        "fr",
        "Galilée a découvert ses quatre plus grandes lunes en janvier 1610 avec une lunette.",
        "Instrument avec des lentilles qui permet de voir de loin les objets du ciel.",
        HELD_FR["jupiter"],
    ),
]
HELD_TRANSLATIONS = [
    (
        "fr",
        HELD_FR["jupiter"],
        "en",
        "Jupiter is the largest planet in the Solar System. It is about 11 times wider than the Earth. Galileo "
        "discovered its four largest moons in January 1610 with a telescope.",
        {},
    ),
    (
        "fr",
        HELD_FR["budget"],
        "en",
        "Lille town hall spends 12% of its budget on schools. In 2022, it renovated 14 canteens and planted "
        "300 trees in the playgrounds. The work cost 4.5 million euros.",
        {},
    ),
    (
        "en",
        HELD_EN["printing"],
        "fr",
        "Johannes Gutenberg a construit une presse à imprimer à Mayence vers 1450. Sa Bible a été imprimée à "
        "environ 180 exemplaires. Avant la presse, les livres étaient copiés à la main, ce qui pouvait prendre "
        "plusieurs mois à un copiste.",
        {},
    ),
    (
        "en",
        HELD_EN["heart"],
        "fr",
        "Le cœur humain bat environ 100 000 fois par jour. Il a quatre cavités : deux oreillettes et deux "
        "ventricules. William Harvey a décrit en 1628 comment le sang circule dans le corps.",
        {},
    ),
]


# -- held out, second set: written on 7 December 2026 after the changes for the first set's refusals, and
# -- not used to change the verifier (bench/verify.py reports them as "held-out-2") ----------------------

HELD2_FR = {
    "canal": (
        "Le canal du Midi relie Toulouse à la mer Méditerranée. Pierre-Paul Riquet a dirigé sa construction "
        "de 1666 à 1681. Le canal mesure 240 kilomètres et compte 63 écluses. Il est inscrit au patrimoine "
        "mondial de l'UNESCO depuis 1996."
    ),
    "etna": (
        "L'Etna, en Sicile, est le volcan actif le plus haut d'Europe. Il culmine à environ 3 300 mètres. Sa "
        "dernière grande éruption a eu lieu en 2021. Les agriculteurs cultivent la vigne sur ses pentes, car "
        "la cendre volcanique rend le sol fertile."
    ),
}
HELD2_EN = {
    "curie": (
        "Marie Curie was born in Warsaw in 1867. She moved to Paris to study physics at the Sorbonne. In 1903 "
        "she shared the Nobel Prize in Physics with Pierre Curie and Henri Becquerel. She remains the only "
        "person to win Nobel Prizes in two different sciences."
    ),
    "wall": (
        "The Great Wall of China stretches for more than 20,000 kilometres. Most of the wall that stands "
        "today was built during the Ming dynasty, between 1368 and 1644. Soldiers used fire and smoke "
        "signals to send warnings from tower to tower."
    ),
}
HELD_OUT_2 = [
    (
        "easy_read",
        "fr",
        HELD2_FR["canal"],
        "Le canal du Midi va de Toulouse jusqu'à la mer Méditerranée. Pierre-Paul Riquet a dirigé les "
        "travaux. Les travaux ont duré de 1666 à 1681. Le canal est long de 240 kilomètres. Il a 63 écluses. "
        "Depuis 1996, il fait partie du patrimoine mondial de l'UNESCO.",
    ),
    (
        "plain",
        "fr",
        HELD2_FR["etna"],
        "L'Etna se trouve en Sicile. C'est le plus haut volcan actif d'Europe : il atteint à peu près 3 300 "
        "mètres. Sa dernière grande éruption date de 2021. Sur ses pentes, les agriculteurs font pousser de "
        "la vigne, parce que la cendre du volcan rend la terre fertile.",
    ),
    (
        "easy_read",
        "en",
        HELD2_EN["curie"],
        "Marie Curie was born in Warsaw in 1867. She went to Paris. She studied physics at the Sorbonne. In "
        "1903, she won the Nobel Prize in Physics together with Pierre Curie and Henri Becquerel. Nobody else "
        "has won Nobel Prizes in two different sciences.",
    ),
    (
        "plain",
        "en",
        HELD2_EN["wall"],
        "The Great Wall of China is over 20,000 kilometres long. Most of what is still standing was built "
        "under the Ming dynasty, from 1368 to 1644. Soldiers sent warnings from one tower to the next with "
        "fire and smoke signals.",
    ),
    (
        "summary",
        "en",
        "\n".join(HELD2_EN.values()),
        "Marie Curie shared the 1903 Nobel Prize in Physics.\nMost of the Great Wall was built during the "
        "Ming dynasty.",
    ),
    (
        "summary",
        "fr",
        "\n".join(HELD2_FR.values()),
        "Le canal du Midi compte 63 écluses sur 240 kilomètres.\nL'Etna est le volcan actif le plus haut "
        "d'Europe.",
    ),
    (
        "glossary",
        "fr",
        "Le canal mesure 240 kilomètres et compte 63 écluses.",
        "Ouvrage qui permet aux bateaux de monter ou de descendre d'un niveau d'eau à un autre.",
        HELD2_FR["canal"],
    ),
    (
        "glossary",
        "en",
        "Most of the wall that stands today was built during the Ming dynasty, between 1368 and 1644.",
        "A series of rulers who all come from the same family.",
        HELD2_EN["wall"],
    ),
]
HELD_TRANSLATIONS_2 = [
    (
        "fr",
        HELD2_FR["canal"],
        "en",
        "The Canal du Midi links Toulouse to the Mediterranean Sea. Pierre-Paul Riquet directed its "
        "construction from 1666 to 1681. The canal is 240 kilometres long and has 63 locks. It has been a "
        "UNESCO World Heritage Site since 1996.",
        {},
    ),
    (
        "en",
        HELD2_EN["curie"],
        "fr",
        "Marie Curie est née à Varsovie en 1867. Elle s'est installée à Paris pour étudier la physique à la "
        "Sorbonne. En 1903, elle a partagé le prix Nobel de physique avec Pierre Curie et Henri Becquerel. "
        "Elle reste la seule personne à avoir reçu des prix Nobel dans deux sciences différentes.",
        {},
    ),
    (
        "en",
        HELD2_EN["wall"],
        "fr",
        "La Grande Muraille de Chine s'étend sur plus de 20 000 kilomètres. L'essentiel de la muraille encore "
        "debout aujourd'hui a été construit sous la dynastie Ming, entre 1368 et 1644. Les soldats "
        "utilisaient des signaux de feu et de fumée pour transmettre des alertes d'une tour à l'autre.",
        {},
    ),
]
