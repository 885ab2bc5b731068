/**
 * ITU-T E.164 country calling codes for the ISO 3166-1 alpha-2 countries (plus XK Kosovo and AC
 * Ascension, which have their own codes), packed small for the browser bundle.
 *
 * Format: comma-separated groups of `[code]LETTERS`, where LETTERS are the 2-letter countries that
 * share the code. A group without a code has the previous group's code + 1, which covers the long
 * runs of consecutive 3-digit codes. Countries without telephone service (BV, HM, TF, UM) are left
 * out. Calling codes are prefix-free, which is what lets {@link callingCodeOf} read them off a number.
 */
const PACKED =
  '1USCAAGAIASBBBMBSDMDOGDGUJMKNKYLCMPMSPRSXTCTTVCVGVI,7RUKZ,20EG,27ZA,30GR,NL,BE,FR,ES,36HU,39ITVA,RO,CH,' +
  '43AT,GBGGIMJE,DK,SE,NOSJ,PL,DE,51PE,MX,CU,AR,BR,CL,CO,VE,60MY,AUCCCX,ID,PH,NZPN,SG,TH,81JP,KR,84VN,86CN,' +
  '90TR,IN,PK,AF,LK,MM,98IR,211SS,MAEH,DZ,216TN,218LY,220GM,SN,MR,ML,GN,CI,BF,NE,TG,BJ,MU,LR,SL,GH,NG,TD,CF,' +
  'CM,CV,ST,GQ,GA,CG,CD,AO,GW,IO,AC,SC,SD,RW,ET,SO,DJ,KE,TZ,UG,BI,MZ,260ZM,MG,REYT,ZW,NA,MW,LS,BW,SZ,KM,' +
  '290SH,ER,297AW,FO,GL,350GI,PT,LU,IE,IS,AL,MT,CY,FIAX,BG,370LT,LV,EE,MD,AM,BY,AD,MC,SM,380UA,RS,ME,XK,' +
  '385HR,SI,BA,389MK,420CZ,SK,423LI,500FKGS,BZ,GT,SV,HN,NI,CR,PA,PM,HT,590GPBLMF,BO,GY,EC,GF,PY,MQ,SR,UY,' +
  'CWBQ,670TL,672NFAQ,BN,NR,PG,TO,SB,VU,FJ,PW,WF,CK,NU,685WS,KI,NC,TV,PF,TK,FM,MH,850KP,852HK,MO,855KH,LA,' +
  '880BD,886TW,960MV,LB,JO,SY,IQ,KW,SA,YE,OM,970PS,AE,IL,BH,QA,BT,MN,NP,992TJ,TM,AZ,GE,KG,998UZ'

interface Tables {
  byCountry: Map<string, string>
  codes: Set<string>
}

/** Unpacked on first use, so importing the module costs nothing at page load. */
let tables: Tables | undefined

function load(): Tables {
  if (!tables) tables = unpack()
  return tables
}

function unpack(): Tables {
  const byCountry = new Map<string, string>()
  let code = 0
  for (const group of PACKED.split(',')) {
    const letters = group.replace(/^\d+/, '')
    code = letters.length < group.length ? Number(group.slice(0, -letters.length)) : code + 1
    for (let i = 0; i < letters.length; i += 2) byCountry.set(letters.slice(i, i + 2), String(code))
  }
  return { byCountry, codes: new Set(byCountry.values()) }
}

/**
 * The calling code of an ISO alpha-2 country (any case), or `undefined` when unknown.
 *
 * @example
 * callingCodeFor('gb') // '44'
 * callingCodeFor('ZZ') // undefined
 */
export function callingCodeFor(country: string): string | undefined {
  return load().byCountry.get(country.toUpperCase())
}

/**
 * The calling code an international number (digits after `+` or `00`) starts with, or `undefined`
 * when it starts with no assigned code. Codes are 1–3 digits and prefix-free, so at most one matches.
 *
 * @example
 * callingCodeOf('447911123456') // '44'
 * callingCodeOf('2812345678') // undefined: no code starts with 28
 */
export function callingCodeOf(digits: string): string | undefined {
  const { codes } = load()
  for (let length = 1; length <= 3; length++) {
    const candidate = digits.slice(0, length)
    if (codes.has(candidate)) return candidate
  }
  return undefined
}
