/**
 * Common given names and surnames in the United States, of many
 * backgrounds, lower case, accents folded (`josé` is `jose`; Cyrillic
 * written as it is): the words `person_name.ts` reads a person's name
 * by. A name that is also an everyday word of orders, products, places,
 * colors or dates (`May`, `Grant`, `Hunter`, `Rose`; `Brown`, `Hill`,
 * `Price`, `Long`) is left out of both lists: a pair with such a word is no
 * sure name. The lists are public knowledge, written out here; they are
 * read as sets, so their size costs nothing per call.
 *
 * @example
 * ```ts
 * GIVEN_NAMES.has("jamal"); // true
 * SURNAMES.has("washington"); // true
 * SURNAMES_FIRST.has("nguyen"); // true
 * ```
 */

/** Split a list written as words. */
function words(text: string): ReadonlySet<string> {
  return new Set(text.split(/\s+/).filter((w) => w.length > 0));
}

/** Common given names, none an everyday word of orders, products, places or dates. */
export const GIVEN_NAMES: ReadonlySet<string> = words(`
  mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty
  sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah stephanie
  dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma anna pamela
  nicole samantha katherine christine helen debra rachel carolyn janet maria catherine diane
  olivia julie joyce victoria ruth lauren kelly christina joan evelyn judith andrea hannah
  megan cheryl jacqueline martha madison teresa gloria sara janice ann anne kathryn abigail
  sophia frances jean alice judy isabella julia grace denise marilyn beverly danielle theresa
  diana natalie brittany charlotte marie kayla alexis lori jane mia ava chloe ella zoe leah
  nora sofia camila valeria lucia gabriela daniela mariana ana carmen rosa guadalupe elena
  isabel fatima aisha priya mei yuki kate katie liz beth jen jenny meg sue sally molly annie
  susie peggy wendy tina tracy stacy heidi erin kristen kristin allison alison vanessa
  veronica monica erica jill joanne lynn tammy connie marjorie eleanor lillian irene louise
  sophie amelia harper scarlett aria layla penelope riley claire caroline lucy stella natalia
  alyssa brianna kaylee haley kaitlyn courtney lindsay lindsey kelsey whitney heather melanie
  tiffany tara dana renee gina kristina katrina carla marcia paula tonya sheila wanda bonnie
  doris gladys vera agnes edna mildred ethel thelma rita josephine yolanda rhonda latoya
  keisha tanisha shanice aaliyah imani jasmine tamika lakisha shaniqua nia ayana latasha
  monique adriana alejandra marisol yesenia maribel leticia claudia beatriz silvia norma
  lorena ximena paola jimena dolores consuelo pilar rocio esperanza graciela linh huong thao
  phuong thuy ngoc minji soojin jiyeon eunji jisoo yumi keiko naoko aiko emi pooja anjali neha
  deepa sunita kavita lakshmi divya shreya zainab ayesha sana farah layla leila mariam yasmin
  amira rania salma ngozi chiamaka amara abena olga natasha svetlana tatiana irina anastasia
  katarzyna agnieszka oksana ingrid niamh siobhan aoife xiu ling
  james robert john michael david william richard joseph thomas christopher charles daniel
  matthew anthony donald steven paul andrew joshua kenneth kevin brian george timothy ronald
  edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott
  brandon benjamin samuel gregory alexander patrick raymond dennis jerry tyler aaron adam
  nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger
  terry sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel
  joe logan alan juan albert willie elijah wayne randy vincent mason roy ralph bobby russell
  bradley philip phillip eugene liam lucas oliver luis carlos miguel jorge pedro alejandro
  fernando ricardo javier manuel francisco antonio mohammed muhammad ahmed omar wei hiroshi
  raj rahul amit tom jim bob mike dave steve chris matt tony dan sam ben nick alex jon jake
  josh andy tim rick greg jeff frank howard fred todd craig shawn derek travis marcus
  leonard stanley martin louis jack harry caleb isaac owen wyatt luke levi isaiah nolan
  jeremiah ezra colton evan ian dominic xavier cameron connor landon blake garrett trevor
  marc mitchell shane spencer troy wesley curtis clarence earl francis glenn jimmy johnny
  danny tommy ricky eddie victor allen leon lloyd herbert floyd alvin calvin chad brett
  darren dustin tyson ronnie jared joel vernon gordon norman marvin melvin harvey cory corey
  derrick neil bernard edwin rodney ted theodore ernest stuart kurt lance ross dwight barry
  seth nathaniel jonah elias josiah micah silas ezekiel jamal darnell deshawn tyrone malik
  jermaine terrell darius andre marquis lamar rashad demetrius cedric reginald dwayne tyrell
  kareem jalen deandre trevon jose diego jesus eduardo roberto raul sergio mario rafael
  arturo hector enrique oscar ruben marco andres emilio mateo santiago sebastian nicolas
  julio cesar armando alberto jaime ramon gustavo thanh minh anh tuan hung duc quang hieu
  khanh jun ming hui xin ying jing jie qiang yong zhiwei minjun jiwoo seojun jihoon hyun
  sungmin takashi kenji haruto sota akira satoshi kazuki daiki kenta arjun vikram
  sanjay anil sunil ravi ramesh suresh deepak rajesh vijay ajay rohit ankit nikhil aditya
  krishna ashok manoj aarav vivek rakesh sandeep imran ali hassan hussein bilal mohamed
  mohammad ahmad mahmoud khalid youssef yusuf ibrahim mustafa tariq karim samir nabil rami
  chinedu oluwaseun adebayo kwame kofi emeka obinna tunde femi ayodele chidi thabo sipho
  abdi dmitri ivan sergei vladimir piotr tomasz andrei mikhail yuri bogdan stefan lukas hans
  klaus pierre francois giuseppe giovanni luca matteo lars sven erik anders declan brendan
  soo lukasz jakub krzysztof pawel marek wojciech jozef jurgen bjorn soren
  иван сергей дмитрий алексей андрей михаил николай владимир ольга елена наталья татьяна
  анна мария светлана ирина екатерина
`);

/**
 * Surnames written first (Vietnamese, Korean, Chinese, Japanese order:
 * `Nguyen Van Thanh`), so a capitalized word after one makes a name too.
 */
export const SURNAMES_FIRST: ReadonlySet<string> = words(`
  nguyen tran pham huynh hoang phan vu vo dang bui ngo duong truong kim choi jung kang cho
  yoon jang lim wang zhang liu chen yang huang zhao zhou xu zhu guo lin liang luo xie deng
  feng li wu tanaka suzuki sato takahashi watanabe yamamoto nakamura kobayashi yamada
`);

/** Common surnames (those of {@linkcode SURNAMES_FIRST} too). */
export const SURNAMES: ReadonlySet<string> = new Set([
  ...SURNAMES_FIRST,
  ...words(`
  smith johnson williams jones garcia miller davis rodriguez martinez hernandez lopez gonzalez
  wilson anderson thomas taylor moore jackson martin lee perez thompson harris sanchez clark
  ramirez lewis robinson walker allen scott torres flores adams nelson mitchell campbell
  roberts carter phillips evans turner diaz parker cruz edwards collins reyes stewart morris
  morales murphy rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos
  cox ward richardson watson brooks chavez james bennett mendoza ruiz hughes alvarez castillo
  sanders patel myers ross foster jimenez powell jenkins perry russell sullivan coleman
  butler henderson barnes gonzales fisher vasquez simmons romero patterson alexander
  hamilton graham reynolds griffin wallace moreno cole hayes bryant herrera gibson ellis
  medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald
  washington kennedy wells vargas henry freeman webb tucker guzman burns crawford olson
  simpson porter gordon mendez silva shaw snyder dixon munoz hicks holmes palmer wagner
  robertson boyd salazar warren mills meyer schmidt garza daniels ferguson nichols stephens
  soto weaver ryan gardner payne dunn kelley spencer hawkins arnold pierce vazquez hansen
  peters santos hart bradley elliott cunningham duncan armstrong hudson carroll riley
  andrews alvarado delgado perkins hoffman johnston matthews pena richards contreras willis
  lawrence sandoval guerrero george chapman rios estrada ortega watkins greene nunez wheeler
  valdez harper burke larson maldonado morrison franklin carlson dominguez carr lawson
  jacobs o'brien obrien lynch singh vega montgomery oliver jensen harvey williamson gilbert
  sims espinoza howell wong reid hanson mccoy garrett burton fuller weber welch rojas lucas
  marquez padilla walsh bowman schultz luna fowler mejia davidson acosta holland juarez
  newman pearson curtis cortez douglas schneider joseph barrett navarro figueroa keller
  avila molina stanley hopkins campos barnett bates caldwell beck lambert miranda byrd
  craig ayala lowe frazier neal leonard gregory carrillo sutton fleming rhodes shelton
  schwartz norris jennings watts duran walters cohen mcdaniel moran vaughn becker holt
  deleon benson haynes horton lyons pham thornton warner cabrera mckinney zimmerman dawson
  lara fletcher mccarthy robles cervantes solis erickson reeves chang klein salinas fuentes
  baldwin velasquez higgins aguirre cummings chandler bowen ochoa robbins ramsey griffith
  blair o'connor oconnor cardenas pacheco calderon quinn swanson chan rivas khan rodgers
  serrano fitzgerald rosales stevenson christensen manning mclaughlin harmon mcgee doyle
  garner newton burgess walton trujillo adkins goodman webster goodwin fischer montoya
  mullins castaneda malone sherman hubbard hodges guerra valencia saunders franco gallagher
  hammond townsend ingram gallegos clarke barton schroeder maxwell camacho strickland
  parsons harrington glover osborne buchanan patton ibarra suarez orozco salas cobb gibbs
  andrade bauer mcguire mueller hartman kramer mcbride velazquez mccormick flynn hogan
  macias villanueva zamora villarreal barrera pineda mercado santana bautista trevino
  mckenzie cochran nicholson shah lozano rangel valenzuela weiss underwood carson whitaker
  yoder zuniga wilcox melendez conley davenport copeland huynh jefferson pittman mathis
  galvan atkinson velez meza abbott tapia sosa sweeney farrell dickerson foley bonilla
  acevedo benitez zavala hensley cisneros rubio huffman arroyo callahan dillon arellano
  o'neill oneill beltran ponce brennan mcdowell cantu humphrey hutchinson kaur russo
  villegas wilkerson ahmed mcclain rosario mosley mcclure beasley stephenson huerta
  guevara stafford woodard kemp mccullough murillo salgado cordova barajas jacobson
  davila whitehead dejesus blankenship palacios bartlett dorsey mcintyre lowery calhoun
  gillespie leblanc esparza bradshaw mcintosh livingston fitzpatrick donovan mahoney
  medrano mcmillan lucero mcconnell bernal mcmahon landry espinosa truong blevins villalobos
  quintana esquivel xiong jaramillo rasmussen peralta galindo maddox mcpherson schmitt
  hinton novak reyna hendrix
  muller kowalski kowalska nowak wisniewski wojcik kowalczyk lewandowski zielinski
  ivanov petrov smirnov kuznetsov popov sokolov иванов петров смирнов кузнецов попов
  соколов волков иванова петрова смирнова кузнецова попова
`),
]);
