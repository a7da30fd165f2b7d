/**
 * Word lists for flagging person names (shared/privacy/people.ts). Hand-kept, offline, and small
 * on purpose: common given names of the languages prompts are written in (English, German,
 * French, Spanish, Italian, Portuguese, Dutch, with frequent Turkish, Arabic, Slavic, Nordic,
 * Indian and East Asian ones), titles and kinship words that introduce a name, and words that
 * introduce one ("named", "namens", "nommé", ...). Lower case, accents kept; ASCII spellings too.
 */

const GIVEN = `
aaron abby abigail adam adrian agnes aidan aisha alan albert alberto alejandro alessandra alessandro alessia alex alexander alexandra alexis alfie alfonso alfredo ali alice alicia alina alison amanda amber amelia amy ana andrea andreas andrei andrew andy angela angelika angelo anita ann anna annabel anne anneliese annette annika anthony antoine anton antonia antonio arjun arthur astrid aurelio aurora ava axel
barbara bart beatrice beatriz ben benedikt benjamin bernard bernd bianca billy birgit bjorn björn blanca bob bram brian bruno caitlin camila camille carla carlo carlos carmen carol carolina caroline casper catalina catherine cecilia celine céline charles charlie charlotte chiara chloe chloé chris christian christina christine christoph christopher claire clara claude claudia clément colin connor constance cristina daan daisy damien dan daniel daniela daniele danielle dario david davide dean debora deborah denis dennis diana diego dieter dimitri dirk dominik dominique donna dorothy dylan
edith eduardo edward eleanor elena eli elias elif elisa elisabeth elizabeth ella ellen elodie élodie eloise emil emilia emilie émilie emily emma emre enrico enzo eric erik ernesto esther ethan eva evelyn fabian fabio fatima federica federico felix fenna fernanda fernando filippo finn florian francesca francesco francisco franco françois frank franz freddie frederik friedrich fritz
gabriel gabriela gabriele gabrielle gaspard gemma gennaro georg george georgia gerard gérard gerhard giacomo gianluca gianni gilles giorgia giorgio giovanni giulia giulio giuseppe gonzalo grace greta gregor gregory guido guillaume gustavo hannah hans harald harriet harry hector héctor heidi heinrich helen helena hélène helga henri henrik henry hilde hugo ian ibrahim ignacio igor ilse imogen inès ines ines ingrid irene iris isaac isabel isabella isabelle ivan
jack jacob jacques jakob james jan jana jane janine jasmin jasmine javier jean jeanne jennifer jens jeroen jessica jim joan joana joanna joao joão joaquim joaquín joaquin jochen joe johan johanna johannes john jonah jonas jonathan jordi jorge jose josé josef joseph josephine joshua juan judith julia julian julie julien julio juliette jürgen jurgen justin kai karen karin karl karolina kate katharina katherine kathrin katie kayla kees keith kemal kevin kim klaus konstantin kristina kurt
lara laura lauren laurent lea léa leah lena leo leon léon leonardo leonie lewis lia liam lily linda lisa lorenzo lotte louis louise luca lucas lucia lucía luciana luciano lucien lucy luigi luis luisa luise lukas luke luna lutz
madeleine magdalena maja manolo manon manuel manuela marc marcel marco marcus margaret margarita maria maría mariana marie marina mario marion mark marta martha martin martina mary mateo mathias mathis matilde matteo matthew matthias maurice max maxime maximilian mehmet melanie mia michael michaela michel michele michelle miguel mikael mila milan miriam mohamed mohammed monica monika moritz muhammad mustafa
nadia nadine natalia natalie nathalie nathan nicola nicolas nicole niels nikolai nils nina noah noemi noémie nora norbert oliver olivia omar oscar óscar otto pablo paola paolo pascal patricia patrick paul paula pauline pedro peter petra philipp philippe pierre pieter pietro pina pilar priya rafael raffaele rainer ralf ramón ramon raquel raúl raul rebecca remco renate renato rené rene ricardo riccardo richard rita robert roberta roberto rocío rodrigo roger roland rolf roman rosa rosario rosie ruben rubén rudolf rui ruth ryan
sabine sabrina salvatore sam samuel sandra sara sarah sebastian sebastián sergio silvia simon simone sofia sofía sophia sophie stefan stefania stefano steffen stella stephan stephanie steven susan susanne sven sylvie tamara tanja teresa thomas thijs tim timo tina tobias tom tomás tomas tommaso toni tony ursula valentina valentin valeria vanessa vera veronica véronique victor victoria vincent vincenzo viola violet walter werner wilhelm william willem wim wolfgang xavier yasmin yvonne yusuf zoe zoé
akira haruto hiroshi yuki yuto sakura kenji wei li jun min ming hao jin ji-woo seo-yeon ahmed youssef karim leila layla fatma ayse ayşe mustafa zeynep hasan hüseyin olga irina natasha sergei dmitri anastasia aleksandra piotr katarzyna agnieszka tomasz ingrid lars sven nils freya astrid anil rahul ravi sunita deepak ananya vikram`;

/**
 * Given names that are also everyday words or places in these languages: flagged only with a
 * surname after them, a title or an introducing word, never alone.
 */
const AMBIGUOUS = `
rose grace hope faith joy dawn may june april summer autumn will mark bill art guy ray eve sky rosa
victoria florence paris sydney jordan chase jack max tim ben dean lea lia mila luna stella rita pina
alexa siri bob sam kim jan august joy angel christian alma mercedes dolores pilar paz
luz rosario soledad consuelo amparo monica fatima vera iris viola flora daisy lily violet ruby amber
felix marin marine victor vincent milan florian regina salvador santiago santos camino lorenzo
valencia paz gloria blanca nina toni lou mia roman bruno leo ali ramon gemma remy dominique claude
sofia sofía georgia charlotte marina austin orlando chelsea savannah adelaide lourdes virginia carolina
alexandria jun min li wei kai eli ji jin hao ming`;

/** Words that introduce a name right after them (titles, kinship words), any case. */
const TITLES = `
mr mr. mrs mrs. ms ms. miss mx dr dr. prof prof. sir lady lord aunt uncle grandma grandpa granny auntie
herr frau fräulein familie opa oma onkel tante
m. mme mme. mlle mlle. monsieur madame mademoiselle docteur maître grand-mère grand-père mamie papi tonton tata
sr sr. sra sra. srta srta. señor señora señorita don doña doctor doctora dra dra. abuela abuelo tío tía
sig sig. sig.ra sig.na signor signora signorina signore dott dott. dott.ssa dottor dottore dottoressa nonna nonno zio zia
senhor senhora dona dom doutor doutora avó avô tio tia
meneer mevrouw mevr mevr. dhr dhr. juffrouw oom`;

/** Phrases after which the next capitalised words are a name. */
export const INTRO_CUES = [
  'named',
  'called',
  'name is',
  'name:',
  'names',
  'namens',
  'heißt',
  'heisst',
  'mit dem namen',
  'name lautet',
  'nommé',
  'nommée',
  'appelé',
  'appelée',
  "s'appelle",
  'nom :',
  'nom:',
  'llamado',
  'llamada',
  'se llama',
  'nombre:',
  'di nome',
  'chiamato',
  'chiamata',
  'si chiama',
  'nome:',
  'chamado',
  'chamada',
  'se chama',
  'genaamd',
  'heet',
  'naam:',
];

/** Capitalised words never taken as a given name or surname (sentence words, places, film terms). */
const NOT_NAMES = `
the a an this that these those his her my our your their and or but with without from for in on at to of by as
der die das den dem des ein eine einer eines und oder mit von zu im am an auf aus bei nach vor über unter
le la les un une des du et ou avec pour dans sur au aux chez en
el los las uno una del y o con para por en al
il lo gli uno una dei delle della degli di da e o con per su nel nella
o a os as um uma do da dos das e ou com para em no na
de het een en of met voor op in van
street st road rd avenue ave lane ln boulevard blvd drive way court place square station bridge hotel
tower memorial cathedral church museum gate hall airport beach lake river bay island mountain valley
garden gardens palace castle center centre university college school hospital market studio
monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag
lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes sábado domingo
lunedì martedì mercoledì giovedì venerdì sabato domenica
january february march april may june july august september october november december
januar februar märz mai juni juli oktober dezember janvier février mars avril juin juillet août
enero febrero marzo abril mayo junio julio agosto gennaio febbraio aprile maggio giugno luglio
happy dear hello hi hey ok okay yes no reference text shot scene take camera kamera regie
private investigator`;

function words(s: string): Set<string> {
  return new Set(s.split(/\s+/).filter(Boolean));
}

export const GIVEN_NAMES = words(GIVEN);
export const AMBIGUOUS_NAMES = words(AMBIGUOUS);
export const NAME_TITLES = words(TITLES);
export const NOT_NAME_WORDS = words(NOT_NAMES);
/** Name particles inside a surname: "de Vries", "van der Berg", "di Marco", "von Trapp". */
export const PARTICLES = words(
  'de da di do dos das del della van der den von zu le la ten ter du des y e bin ibn al el',
);
/** A saint or place prefix makes the next name a place ("San Miguel", "Saint-Michel"). */
export const PLACE_PREFIXES = words(
  'san santa santo são sao saint sainte st st. ste ste. sankt mount mt mt. lake port fort cape',
);
