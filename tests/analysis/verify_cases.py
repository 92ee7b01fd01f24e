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
