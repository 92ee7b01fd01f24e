"""A small English-French lexicon of everyday and school words, for aligning a translation with its source.

The verifier (:mod:`inclusio.analysis.verify`) asks of each sentence of a translation: which of its words
stand for a word of the source? Names, numbers, symbols and cognates ("photosynthesis"/"photosynthèse",
"molecule"/"molécule") answer most of it; the everyday words that differ between the languages ("light" /
"lumière", "need" / "besoin", "leaf" / "feuille") are answered here. A sentence that the source supports
nowhere is invented.

Each line: English forms, ``|``, French forms. Words are compared on their first four letters, accents
removed (see :func:`translations`), so one form per family is enough; irregular forms are listed. The list
is general (school and university course vocabulary), not drawn from any one document; a word missing
here only makes the check stricter on a sentence with few cognates.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

LEXICON = """
about around roughly approximately | environ vers autour
above over | dessus au-dessus sur
according | selon
act action acts | agir action
add added adds | ajouter ajout
after afterwards | après ensuite
again | encore nouveau
against | contre
age ages | âge époque
air | air
all every whole | tout tous toute toutes chaque entier
allow allows allowed enable | permettre permet autoriser
almost nearly | presque
alone only | seul seulement uniquement
already | déjà
also too | aussi également
always | toujours
amount quantity | quantité montant
animal animals | animal animaux
answer answers | réponse répondre
appear appears | apparaître paraître
area areas surface | surface zone aire région
ask asks asked | demander poser
back | retour arrière dos
bad | mauvais mal
basis base based | base fondement fonder
be is are was were being | être est sont était
become becomes became | devenir devient
before | avant
begin begins began start starts started | commencer début démarrer
behind | derrière
believe think thinks thought | croire penser pense
below under beneath underground | dessous sous souterrain inférieur
between | entre
big large great | grand gros vaste important
billion | milliard
bird birds | oiseau
black | noir
blue | bleu
body bodies | corps
book books | livre
both | deux ensemble
bottom | fond bas
breathe breathes breathing | respirer respiration
bring brings brought | apporter ramener amener
build builds built building construction | construire bâtir construction bâtiment
burn burns | brûler
buy | acheter
call calls called named | appeler appelle nommer nom
can could able | pouvoir peut peuvent capable
capture captures catch | capter capturer attraper
carry carries | porter transporter réaliser effectuer
case cases | cas
cause causes caused | cause causer provoquer
cell cells | cellule
century centuries | siècle
chain chains | chaîne
change changes changed | changer changement modifier
chapter | chapitre
check | vérifier contrôle
child children | enfant
choose choice | choisir choix
citizen citizens | citoyen citoyens
city cities town | ville
class classroom | classe cours
clean | propre nettoyer
clear clearly | clair clairement
close closes closed shut | fermer fermé proche
cloud clouds | nuage
cold | froid
colour color colours | couleur
come comes came | venir vient
common | commun courant
compare comparison | comparer comparaison
complete | complet compléter
contain contains contained | contenir contient
continue | continuer
control | contrôle contrôler
cook cooking | cuisiner cuisine
cost costs | coût coûter
count counts | compter
country countries | pays
course | cours
cover covers covered | couvrir couvre
create creates | créer
cross | traverser croix
cut | couper
cycle | cycle
dark | sombre obscur noir
data | données
day days daily | jour journée quotidien
dead death die dies | mort mourir
decrease decreases reduce fall falls | diminuer baisser réduire baisse
deep | profond
depend depends | dépendre dépend
describe description | décrire description
develop development | développer développement
different difference | différent différence
difficult hard | difficile dur
direct directly indirectly | direct directement indirectement
discover discovery | découvrir découverte
do does did done | faire fait
down | bas descendre
drive drives driven | entraîner conduire moteur
dry | sec sèche
during while | pendant durant lors
each | chaque chacun
early | tôt
earth | terre
easy easily | facile facilement
eat eats eating feed feeds | manger nourrir
end ends ending never-ending | fin finir bout
energy | énergie
enough | assez suffisant suffire
enter enters | entrer
example examples | exemple
explain explains explained | expliquer explique explication
face | face visage
fact facts | fait
family families | famille
far | loin
fast quick quickly | rapide rapidement vite
father | père
few little | peu
field fields | champ domaine
figure | figure schéma
find finds found | trouver trouve
first | premier première abord
fix fixes | fixer
follow follows following | suivre suivant
food | nourriture aliment alimentaire
force forces | force
forest forests | forêt
form forms formed | forme former
free | libre gratuit
friend friends | ami
from | de depuis
full | plein
gas gases | gaz
get gets got | obtenir avoir
give gives gave given | donner donne
glass | verre
go goes went | aller va
good well | bon bien
green | vert verte verts
ground land soil | sol terre terrain
group groups | groupe
grow grows growth | croître pousser croissance grandir
hair | cheveu cheveux poil
half | moitié demi
hand hands | main
happen happens | arriver passer produire
have has had | avoir ont
head | tête
hear | entendre
heat hot warm | chaleur chaud chauffer
heavy | lourd
help helps | aider aide
here | ici
high height | haut hauteur élevé
history | histoire
hold holds | tenir contenir
home house | maison
hour hours | heure
however yet but | cependant pourtant mais
human humans people | humain humains gens personnes
idea ideas | idée
important | important
increase increases rise rises | augmenter hausse croître
inside within | intérieur dans
instead | lieu place plutôt
keep keeps kept store stores stored | garder conserver stocker stocke
kind kinds type | sorte type genre
king kings | roi royal royaux
queen queens | reine
know known knowledge | savoir connaître connaissance
lake lakes | lac
language | langue langage
last | dernier durer
late later | tard tardif retard
law | loi
layer layers | couche
lead leads | mener conduire
leaf leaves | feuille feuilles
learn learning | apprendre apprentissage
leave leaves left | quitter laisser partir
length long | longueur long longue
less | moins
lesson lessons | leçon
level levels | niveau
life live lives living | vie vivre vivant
light | lumière lumineux éclairer
like | comme aimer
limit limits limiting | limite limiter
line lines | ligne
list | liste
look looks | regarder
lose loses lost | perdre
low | bas faible
main mainly mostly | principal principalement surtout
make makes made | faire fabriquer
man men | homme hommes
many much | beaucoup nombreux
matter | matière
mean means meaning | signifier moyen sens
measure measures | mesurer mesure
mineral minerals | minéral minéraux
mix mixture | mélange mélanger
moment | moment
money | argent
month months | mois
more most | plus
mother | mère
move moves moving movement | bouger déplacer mouvement
name names | nom
need needs needed | besoin avoir-besoin nécessaire falloir faut
never | jamais
new | nouveau nouvelle neuf
next | suivant prochain
night | nuit
now | maintenant
number numbers | nombre numéro
observe observes observation | observer observation
old | vieux ancien
open opens | ouvrir ouvert
organ organs | organe
other others | autre autres
out outside | dehors extérieur sortir
own | propre
page pages | page
paper | papier article
part parts | partie part
pass passes | passer
place places | lieu endroit place
plant plants | plante
point points | point
pour | verser
power | puissance pouvoir
produce produces produced product products production | produire produit production
protect protects | protéger
publish published | publier
put | mettre
question questions | question
rain | pluie
reach | atteindre
read reads | lire
reason | raison
receive | recevoir
red | rouge
reflect reflected | refléter réfléchir renvoyer renvoyée
release releases released emit give-off | libérer rejeter rejette émettre dégager
remove removes removed | retirer enlever
replace replaced | remplacer
rest | reste repos
right rights | droit droits
result results | résultat
return | retour revenir
right | droit correct
river rivers | rivière fleuve
rock rock | roche rocher pierre
rule rules | règle
same | même
say says said | dire dit
school | école scolaire
sea ocean | mer océan
second | second deuxième seconde
see sees seen | voir vu
send | envoyer
sentence | phrase
serve serves | servir
shape | forme
share | part partager
short | court
show shows showed shown | montrer montre
side | côté face
simple | simple
since | depuis
size | taille
sky | ciel
slow slowly | lent lentement
small | petit
so therefore thus | donc ainsi
some certain | certains quelques
sometimes | parfois
source | source
space | espace
speak | parler
speed | vitesse
stay stays remain remains | rester reste demeurer
step steps stage | étape
still | encore toujours
stop | arrêter
story | histoire récit
strong strongly | fort fortement
student students pupil | élève étudiant
study | étude étudier
sugar | sucre
sum summed summarise | résumer résumé somme
sun | soleil
take takes took | prendre
takes-place happen occur occurs | dérouler déroule avoir-lieu lieu
teacher | professeur enseignant
tell | dire raconter
tenth | dixième
text | texte
thank thanks | grâce merci remercier
thick thickness | épais épaisseur
thing things | chose
through across | travers par
time times | temps fois
today | aujourd'hui
together | ensemble
too-hot | chaud
total | total
transform transforms turn turns | transformer transforme
tree trees | arbre
true | vrai
try | essayer
turn | tourner
understand | comprendre
until | jusqu
up | haut monter
use uses used using | utiliser utilise servir
usually generally | généralement général habituellement
very | très
vapour vapor | vapeur
wall | mur paroi
war wars | guerre guerres
want | vouloir
water | eau
way ways | façon manière chemin
weak | faible
week | semaine
weight | poids
white | blanc
why | pourquoi
wide | large
without | sans
word words | mot
work works worked | travail travailler
world | monde
write writes written | écrire écrit
year years | année an ans
yellow | jaune
young | jeune
"""


def _key(word: str) -> str:
    """Accent-free, lower case, first four letters."""
    word = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in word if not unicodedata.combining(c))[:4]


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    en_fr: dict[str, set[str]] = {}
    fr_en: dict[str, set[str]] = {}
    for line in LEXICON.strip().splitlines():
        english, _, french = line.partition("|")
        en = {_key(w) for part in english.split() for w in part.split("-")}
        fr = {_key(w) for part in french.split() for w in part.split("-")}
        for word in en:
            en_fr.setdefault(word, set()).update(fr)
        for word in fr:
            fr_en.setdefault(word, set()).update(en)
    return (
        {k: frozenset(v) for k, v in en_fr.items()},
        {k: frozenset(v) for k, v in fr_en.items()},
    )


def translations(word: str, lang: str, other: str) -> frozenset[str]:
    """Four-letter keys of the words that may translate ``word`` (in ``lang``) into ``other``; empty
    when the pair of languages is not English/French or the word is not listed."""
    en_fr, fr_en = _index()
    if (lang, other) == ("en", "fr"):
        return en_fr.get(_key(word), frozenset())
    if (lang, other) == ("fr", "en"):
        return fr_en.get(_key(word), frozenset())
    return frozenset()
