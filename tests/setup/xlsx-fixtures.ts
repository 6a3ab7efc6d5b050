// XLSX files built part by part the way each spreadsheet program writes them (same table, the
// program's own conventions), and hostile files ("bombs"), all generated here from the formats'
// rules (ECMA-376 SpreadsheetML, APPNOTE.TXT ZIP) rather than stored.
import { deflateRawSync, constants as zlibConstants } from 'node:zlib'
import { strToU8, zipSync, type Zippable } from 'fflate'

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships'
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function contentTypes(extra = ''): string {
  return `${xmlHeader}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${extra}</Types>`
}
const rootRels = (target = 'xl/workbook.xml') =>
  `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="${target}"/></Relationships>`

/** The table every flavour holds: header, a text-formatted code, a numeric code, a gap, an entity. */
export const FIXTURE_ROWS = {
  header: ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ', 'Ngày sinh'],
  /** What every reader must read, row number first (row 4 and 5 are empty, so missing). */
  expected: [
    { line: 1, cells: ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ', 'Ngày sinh'] },
    { line: 2, cells: ['001234', 'Nguyễn Văn An', 'an@roster.example', 'LC-X-BACHA', 'Chủ tịch', '1985-03-15'] },
    { line: 3, cells: ['5678', 'Lò Thị Bình', '', 'LC-X-BACHA', 'Công chức', '1990-12-01'] },
    { line: 6, cells: ['BH-9', 'Sùng A Páo', 'pao@roster.example', 'LC-X-BACHA', 'Phó Chủ tịch & Thư ký <UBND>'] },
  ],
}
/** 1985-03-15 and 1990-12-01 as serials in the 1900 and the 1904 date systems. */
const SERIAL_1900 = [31121, 33208]
const SERIAL_1904 = [29659, 31746]

/** Microsoft Excel (2016–365): shared strings (rich text and a phonetic run), styles with builtin formats 14 and 49, spans, parts in Excel's order (sheet before sharedStrings). */
export function excelFlavour(): Uint8Array {
  const strings = ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ', 'Ngày sinh', '001234', 'Nguyễn Văn An', 'an@roster.example', 'LC-X-BACHA', 'Chủ tịch', 'RICH', 'Công chức', 'BH-9', 'Sùng A Páo', 'pao@roster.example', 'Phó Chủ tịch & Thư ký <UBND>']
  const si = strings
    .map((s) =>
      s === 'RICH'
        ? '<si><r><rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">Lò Thị </t></r><r><rPr><sz val="11"/></rPr><t>Bình</t></r><rPh sb="0" eb="2"><t>ロ</t></rPh><phoneticPr fontId="1"/></si>'
        : `<si><t>${escapeXml(s)}</t></si>`,
    )
    .join('')
  const s = (text: string) => strings.indexOf(text === 'Lò Thị Bình' ? 'RICH' : text)
  const c = (ref: string, text: string, style = 0) => `<c r="${ref}"${style ? ` s="${style}"` : ''} t="s"><v>${s(text)}</v></c>`
  const header = FIXTURE_ROWS.header.map((h, i) => c(`${'ABCDEF'[i]}1`, h, 3)).join('')
  const sheet = `${xmlHeader}<worksheet xmlns="${MAIN}" xmlns:r="${REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:F6"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><cols><col min="1" max="1" width="12" customWidth="1"/></cols><sheetData>`
    + `<row r="1" spans="1:6" x14ac:dyDescent="0.25">${header}</row>`
    + `<row r="2" spans="1:6" x14ac:dyDescent="0.25">${c('A2', '001234', 1)}${c('B2', 'Nguyễn Văn An')}<c r="C2" t="str"><f>LOWER("AN@ROSTER.EXAMPLE")</f><v>an@roster.example</v></c>${c('D2', 'LC-X-BACHA')}${c('E2', 'Chủ tịch')}<c r="F2" s="2"><v>${SERIAL_1900[0]}</v></c></row>`
    + `<row r="3" spans="1:6" x14ac:dyDescent="0.25"><c r="A3"><v>5678</v></c>${c('B3', 'Lò Thị Bình')}<c r="C3" s="1"/>${c('D3', 'LC-X-BACHA')}${c('E3', 'Công chức')}<c r="F3" s="2"><v>${SERIAL_1900[1]}</v></c></row>`
    + `<row r="4" spans="1:6" s="1" customFormat="1" x14ac:dyDescent="0.25"><c r="A4" s="1"/></row>`
    + `<row r="6" spans="1:6" x14ac:dyDescent="0.25">${c('A6', 'BH-9')}${c('B6', 'Sùng A Páo')}${c('C6', 'pao@roster.example')}${c('D6', 'LC-X-BACHA')}${c('E6', 'Phó Chủ tịch & Thư ký <UBND>')}</row>`
    + `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
  const styles = `${xmlHeader}<styleSheet xmlns="${MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
  const files: Zippable = {
    '[Content_Types].xml': strToU8(contentTypes('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')),
    '_rels/.rels': strToU8(rootRels()),
    'xl/workbook.xml': strToU8(`${xmlHeader}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840"/></bookViews><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${REL}/theme" Target="theme/theme1.xml"/><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId4" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/theme/theme1.xml': strToU8(`${xmlHeader}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements/></a:theme>`),
    'xl/styles.xml': strToU8(styles),
    'xl/sharedStrings.xml': strToU8(`${xmlHeader}<sst xmlns="${MAIN}" count="${strings.length + 8}" uniqueCount="${strings.length}">${si}</sst>`),
    'docProps/app.xml': strToU8(`${xmlHeader}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`),
  }
  return zipSync(files, { level: 6 })
}

/** LibreOffice Calc: t="n" written out, custom date format 164, text format "@", row attributes, an empty second sheet, a hidden one first. */
export function libreOfficeFlavour(): Uint8Array {
  const strings = ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ', 'Ngày sinh', '001234', 'Nguyễn Văn An', 'an@roster.example', 'LC-X-BACHA', 'Chủ tịch', 'Lò Thị Bình', 'Công chức', 'BH-9', 'Sùng A Páo', 'pao@roster.example', 'Phó Chủ tịch & Thư ký <UBND>']
  const rowAttrs = 'customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"'
  const c = (ref: string, text: string, style = 0) => `<c r="${ref}" s="${style}" t="s"><v>${strings.indexOf(text)}</v></c>`
  const sheet = `${xmlHeader}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr><dimension ref="A1:F6"/><sheetViews><sheetView showFormulas="false" showGridLines="true" tabSelected="true" workbookViewId="0"><selection pane="topLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultColWidth="11.53515625" defaultRowHeight="12.8" zeroHeight="false" outlineLevelRow="0" outlineLevelCol="0"/><sheetData>`
    + `<row r="1" ${rowAttrs}>${FIXTURE_ROWS.header.map((h, i) => c(`${'ABCDEF'[i]}1`, h)).join('')}</row>`
    + `<row r="2" ${rowAttrs}>${c('A2', '001234', 1)}${c('B2', 'Nguyễn Văn An')}${c('C2', 'an@roster.example')}${c('D2', 'LC-X-BACHA')}${c('E2', 'Chủ tịch')}<c r="F2" s="2" t="n"><v>${SERIAL_1900[0]}</v></c></row>`
    + `<row r="3" ${rowAttrs}><c r="A3" s="0" t="n"><v>5678</v></c>${c('B3', 'Lò Thị Bình')}${c('D3', 'LC-X-BACHA')}${c('E3', 'Công chức')}<c r="F3" s="2" t="n"><v>${SERIAL_1900[1]}</v></c></row>`
    + `<row r="6" ${rowAttrs}>${c('A6', 'BH-9')}${c('B6', 'Sùng A Páo')}${c('C6', 'pao@roster.example')}${c('D6', 'LC-X-BACHA')}${c('E6', 'Phó Chủ tịch & Thư ký <UBND>')}</row>`
    + `</sheetData><printOptions headings="false" gridLines="false"/></worksheet>`
  const hidden = `${xmlHeader}<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>trang ẩn</t></is></c></row></sheetData></worksheet>`
  const styles = `${xmlHeader}<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="General"/><numFmt numFmtId="165" formatCode="DD/MM/YYYY"/></numFmts><fonts count="1"><font><sz val="10"/><name val="Arial"/><family val="2"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border diagonalUp="false" diagonalDown="false"><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" applyFont="true"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="false"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="false"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyProtection="false"/></cellXfs></styleSheet>`
  const files: Zippable = {
    '_rels/.rels': strToU8(rootRels()),
    'docProps/app.xml': strToU8(`${xmlHeader}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>LibreOffice/24.2.7.2$Linux_X86_64 LibreOffice_project/420$Build-2</Application></Properties>`),
    'xl/_rels/workbook.xml.rels': strToU8(`${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId4" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
    'xl/sharedStrings.xml': strToU8(`${xmlHeader}<sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('')}</sst>`),
    'xl/styles.xml': strToU8(styles),
    'xl/workbook.xml': strToU8(`${xmlHeader}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><fileVersion appName="Calc"/><workbookPr backupFile="false" showObjects="all" date1904="false"/><workbookProtection/><bookViews><workbookView showHorizontalScroll="true" activeTab="1"/></bookViews><sheets><sheet name="Cũ" sheetId="1" state="hidden" r:id="rId2"/><sheet name="Danh sách" sheetId="2" state="visible" r:id="rId3"/></sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>`),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/worksheets/sheet2.xml': strToU8(hidden),
    '[Content_Types].xml': strToU8(contentTypes('<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')),
  }
  return zipSync(files, { level: 9 })
}

/** Google Sheets: shared strings, an absolute relationship target, custom date format "yyyy-mm-dd", no dimension, sheetPr outlinePr. */
export function googleSheetsFlavour(): Uint8Array {
  const strings = ['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ', 'Ngày sinh', '001234', 'Nguyễn Văn An', 'an@roster.example', 'LC-X-BACHA', 'Chủ tịch', 'Lò Thị Bình', 'Công chức', 'BH-9', 'Sùng A Páo', 'pao@roster.example', 'Phó Chủ tịch & Thư ký <UBND>']
  const c = (ref: string, text: string, style = 1) => `<c r="${ref}" s="${style}" t="s"><v>${strings.indexOf(text)}</v></c>`
  const sheet = `${xmlHeader}<worksheet xmlns:r="${REL}" xmlns:mx="http://schemas.microsoft.com/office/mac/excel/2008/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns="${MAIN}"><sheetPr><outlinePr summaryBelow="0" summaryRight="0"/></sheetPr><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr customHeight="1" defaultColWidth="12.63" defaultRowHeight="15.75"/><sheetData>`
    + `<row r="1">${FIXTURE_ROWS.header.map((h, i) => c(`${'ABCDEF'[i]}1`, h)).join('')}</row>`
    + `<row r="2">${c('A2', '001234', 2)}${c('B2', 'Nguyễn Văn An')}${c('C2', 'an@roster.example')}${c('D2', 'LC-X-BACHA')}${c('E2', 'Chủ tịch')}<c r="F2" s="3"><v>${SERIAL_1900[0]}.0</v></c></row>`
    + `<row r="3"><c r="A3" s="4"><v>5678.0</v></c>${c('B3', 'Lò Thị Bình')}<c r="C3" s="1"/>${c('D3', 'LC-X-BACHA')}${c('E3', 'Công chức')}<c r="F3" s="3"><v>${SERIAL_1900[1]}.0</v></c></row>`
    + `<row r="4"><c r="A4" s="1"/><c r="B4" s="1"/></row><row r="5"/>`
    + `<row r="6">${c('A6', 'BH-9')}${c('B6', 'Sùng A Páo')}${c('C6', 'pao@roster.example')}${c('D6', 'LC-X-BACHA')}${c('E6', 'Phó Chủ tịch & Thư ký <UBND>')}<c r="F6" s="1"/></row>`
    + `</sheetData><drawing r:id="rId1"/></worksheet>`
  const styles = `${xmlHeader}<styleSheet xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="10.0"/><color rgb="FF000000"/><name val="Arial"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="lightGray"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf borderId="0" fillId="0" fontId="0" numFmtId="0" applyAlignment="1" applyFont="1"/></cellStyleXfs><cellXfs count="5"><xf borderId="0" fillId="0" fontId="0" numFmtId="0" xfId="0" applyAlignment="1" applyFont="1"><alignment readingOrder="0" shrinkToFit="0" vertical="bottom" wrapText="0"/></xf><xf borderId="0" fillId="0" fontId="0" numFmtId="0" xfId="0" applyAlignment="1" applyFont="1"><alignment readingOrder="0"/></xf><xf borderId="0" fillId="0" fontId="0" numFmtId="49" xfId="0" applyAlignment="1" applyFont="1" applyNumberFormat="1"><alignment readingOrder="0"/></xf><xf borderId="0" fillId="0" fontId="0" numFmtId="164" xfId="0" applyAlignment="1" applyFont="1" applyNumberFormat="1"><alignment readingOrder="0"/></xf><xf borderId="0" fillId="0" fontId="0" numFmtId="0" xfId="0" applyAlignment="1" applyFont="1"><alignment horizontal="right" readingOrder="0"/></xf></cellXfs><cellStyles count="1"><cellStyle xfId="0" name="Normal" builtinId="0"/></cellStyles><dxfs count="0"/></styleSheet>`
  const files: Zippable = {
    'xl/drawings/drawing1.xml': strToU8(`${xmlHeader}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>`),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/worksheets/_rels/sheet1.xml.rels': strToU8(`${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/drawing" Target="../drawings/drawing1.xml"/></Relationships>`),
    'xl/sharedStrings.xml': strToU8(`${xmlHeader}<sst xmlns="${MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`),
    'xl/styles.xml': strToU8(styles),
    'xl/workbook.xml': strToU8(`${xmlHeader}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><workbookPr/><sheets><sheet state="visible" name="Trang tính1" sheetId="1" r:id="rId4"/></sheets><definedNames/><calcPr/></workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/theme" Target="theme/theme1.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="${REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>`),
    '[Content_Types].xml': strToU8(contentTypes()),
    '_rels/.rels': strToU8(rootRels()),
  }
  return zipSync(files, { level: 6 })
}

/**
 * A streaming writer's XLSX (SheetJS, openpyxl write-only, .NET's OpenXML SDK): inline strings,
 * no r references on rows and cells after the first, an "x:" namespace prefix, the 1904 date
 * system, stored (not deflated) entries.
 */
export function streamingWriterFlavour(): Uint8Array {
  const t = (text: string) => `<x:c t="inlineStr"><x:is><x:t>${escapeXml(text)}</x:t></x:is></x:c>`
  const sheet = `${xmlHeader}<x:worksheet xmlns:x="${MAIN}"><x:sheetData>`
    + `<x:row>${FIXTURE_ROWS.header.map(t).join('')}</x:row>`
    + `<x:row><x:c t="inlineStr" s="1"><x:is><x:t>001234</x:t></x:is></x:c>${t('Nguyễn Văn An')}${t('an@roster.example')}${t('LC-X-BACHA')}${t('Chủ tịch')}<x:c s="2"><x:v>${SERIAL_1904[0]}</x:v></x:c></x:row>`
    + `<x:row><x:c><x:v>5678</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t xml:space="preserve">Lò Thị </x:t></x:r><x:r><x:t>Bình</x:t></x:r></x:is></x:c><x:c/>${t('LC-X-BACHA')}${t('Công chức')}<x:c s="2"><x:v>${SERIAL_1904[1]}</x:v></x:c></x:row>`
    + `<x:row r="6">${t('BH-9')}${t('Sùng A Páo')}${t('pao@roster.example')}${t('LC-X-BACHA')}<x:c t="inlineStr"><x:is><x:t><![CDATA[Phó Chủ tịch & Thư ký <UBND>]]></x:t></x:is></x:c></x:row>`
    + `</x:sheetData></x:worksheet>`
  const styles = `${xmlHeader}<x:styleSheet xmlns:x="${MAIN}"><x:numFmts count="1"><x:numFmt numFmtId="166" formatCode="[$-42A]d\\ mmmm\\ yyyy;@"/></x:numFmts><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="49"/><x:xf numFmtId="166"/></x:cellXfs></x:styleSheet>`
  const files: Zippable = {
    '[Content_Types].xml': strToU8(contentTypes()),
    '_rels/.rels': strToU8(rootRels('/xl/workbook.xml')),
    'xl/workbook.xml': strToU8(`${xmlHeader}<x:workbook xmlns:x="${MAIN}" xmlns:r="${REL}"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Sheet1" sheetId="1" r:id="R1"/></x:sheets></x:workbook>`),
    'xl/_rels/workbook.xml.rels': strToU8(`${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="R1" Type="${REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="R2" Type="${REL}/styles" Target="/xl/styles.xml"/></Relationships>`),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
    'xl/styles.xml': strToU8(styles),
  }
  return zipSync(files, { level: 0 })
}

// ───────────── Hostile files ─────────────

const CRC_TABLE = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

function crc32(parts: Iterable<Uint8Array>): number {
  let crc = -1
  for (const part of parts) for (let i = 0; i < part.length; i++) crc = CRC_TABLE[(crc ^ part[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}

interface RawEntry {
  name: string
  /** Deflated (raw) or stored bytes. */
  data: Uint8Array
  method: 0 | 8
  crc: number
  size: number
}

/** A ZIP written by hand (APPNOTE 4.3): local headers, data, central directory, end record. */
export function writeZip(entries: RawEntry[], { declaredSize }: { declaredSize?: (e: RawEntry) => number } = {}): Uint8Array {
  const enc = new TextEncoder()
  const chunks: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const e of entries) {
    const name = enc.encode(e.name)
    const size = declaredSize ? declaredSize(e) : e.size
    const local = new Uint8Array(30 + name.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint16(4, 20, true)
    lv.setUint16(6, 0x0800, true) // UTF-8 names
    lv.setUint16(8, e.method, true)
    lv.setUint32(14, e.crc, true)
    lv.setUint32(18, e.data.length, true)
    lv.setUint32(22, size, true)
    lv.setUint16(26, name.length, true)
    local.set(name, 30)
    const cd = new Uint8Array(46 + name.length)
    const cv = new DataView(cd.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint16(4, 20, true)
    cv.setUint16(6, 20, true)
    cv.setUint16(8, 0x0800, true)
    cv.setUint16(10, e.method, true)
    cv.setUint32(16, e.crc, true)
    cv.setUint32(20, e.data.length, true)
    cv.setUint32(24, size, true)
    cv.setUint16(28, name.length, true)
    cv.setUint32(42, offset, true)
    cd.set(name, 46)
    chunks.push(local, e.data)
    central.push(cd)
    offset += local.length + e.data.length
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, Math.min(entries.length, 0xffff), true)
  ev.setUint16(10, Math.min(entries.length, 0xffff), true)
  ev.setUint32(12, cdSize, true)
  ev.setUint32(16, offset, true)
  const all = [...chunks, ...central, end]
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0))
  let p = 0
  for (const c of all) {
    out.set(c, p)
    p += c.length
  }
  return out
}

const u8 = (s: string) => new TextEncoder().encode(s)

function deflated(name: string, text: string): RawEntry {
  const bytes = u8(text)
  return { name, data: deflateRawSync(bytes), method: 8, crc: crc32([bytes]), size: bytes.length }
}

/**
 * A part made of `times` repetitions of `unit` (plus a head and a tail), deflated without ever
 * holding the whole: the unit is deflated once with a full flush (a byte-aligned block that does
 * not refer to what came before), so the same compressed block repeated is the deflate stream of
 * the repeated text. A 1 MB unit of XML compresses to about a kilobyte.
 */
function repeatedPart(name: string, head: string, unit: string, times: number, tail: string): RawEntry {
  const flush = (s: string) => deflateRawSync(u8(s), { finishFlush: zlibConstants.Z_FULL_FLUSH })
  const headBlock = flush(head)
  const unitBytes = u8(unit)
  const unitBlock = deflateRawSync(unitBytes, { finishFlush: zlibConstants.Z_FULL_FLUSH, level: 9 })
  const tailBlock = deflateRawSync(u8(tail)) // ends with the final block
  const data = new Uint8Array(headBlock.length + unitBlock.length * times + tailBlock.length)
  data.set(headBlock, 0)
  for (let i = 0; i < times; i++) data.set(unitBlock, headBlock.length + i * unitBlock.length)
  data.set(tailBlock, headBlock.length + unitBlock.length * times)
  const parts = function* () {
    yield u8(head)
    for (let i = 0; i < times; i++) yield unitBytes
    yield u8(tail)
  }
  return { name, data, method: 8, crc: crc32(parts()), size: u8(head).length + unitBytes.length * times + u8(tail).length }
}

function workbookParts(extraRels = ''): RawEntry[] {
  return [
    deflated('[Content_Types].xml', contentTypes()),
    deflated('_rels/.rels', rootRels()),
    deflated('xl/workbook.xml', `${xmlHeader}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    deflated('xl/_rels/workbook.xml.rels', `${xmlHeader}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${extraRels}</Relationships>`),
  ]
}

const MB = 1024 * 1024
const sheetHead = `${xmlHeader}<worksheet xmlns="${MAIN}"><sheetData>`
const sheetTail = '</sheetData></worksheet>'

/** A sheet that inflates to `inflatedMb` MB of empty styled rows (the issue's 307 KB → 300 MB file), its true size declared unless `lie`. */
export function sheetBomb({ inflatedMb = 300, lie = true }: { inflatedMb?: number; lie?: boolean } = {}): Uint8Array {
  const row = '<row r="1" spans="1:1"><c r="A1" s="0"/></row>'
  const unit = row.repeat(Math.floor(MB / row.length))
  const sheet = repeatedPart('xl/worksheets/sheet1.xml', sheetHead, unit, inflatedMb, sheetTail)
  return writeZip([...workbookParts(), sheet], { declaredSize: lie ? (e) => Math.min(e.size, 4096) : undefined })
}

/** A ZIP with `count` entries (stored, empty): the end record's 16-bit count wraps past 65,535. */
export function manyEntries(count = 100_000): Uint8Array {
  const entries: RawEntry[] = [...workbookParts(), deflated('xl/worksheets/sheet1.xml', `${sheetHead}${sheetTail}`)]
  const empty = new Uint8Array(0)
  for (let i = 0; i < count - entries.length; i++) entries.push({ name: i.toString(36), data: empty, method: 0, crc: 0, size: 0 })
  return writeZip(entries)
}

/** A sheet nesting `depth` elements (deflated to a few kilobytes). */
export function deepXml(depth = 1_000_000): Uint8Array {
  const sheet = deflated('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1">${'<c>'.repeat(depth)}${'</c>'.repeat(depth)}</row>${sheetTail}`)
  return writeZip([...workbookParts(), sheet])
}

/** A shared-strings table of `inflatedMb` MB (one string repeated). */
export function sharedStringsBomb(inflatedMb = 200): Uint8Array {
  const si = '<si><t>Nguyễn Văn An</t></si>'
  const unit = si.repeat(Math.floor(MB / u8(si).length))
  const sst = repeatedPart('xl/sharedStrings.xml', `${xmlHeader}<sst xmlns="${MAIN}">`, unit, inflatedMb, '</sst>')
  const sheet = deflated('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${sheetTail}`)
  return writeZip([...workbookParts(`<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`), sst, sheet])
}

/** Many distinct shared strings, each short (does not look like a bomb by its ratio). */
export function manySharedStrings(count: number): Uint8Array {
  let body = ''
  for (let i = 0; i < count; i++) body += `<si><t>${(i * 2654435761 >>> 0).toString(36)}</t></si>`
  const sst = deflated('xl/sharedStrings.xml', `${xmlHeader}<sst xmlns="${MAIN}">${body}</sst>`)
  const sheet = deflated('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${sheetTail}`)
  return writeZip([...workbookParts(`<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`), sst, sheet])
}

/** An honest roster of `rows` people as an XLSX with inline strings (for sizes and the bench). */
export function rosterXlsx(rows: number, agencyCode = 'LC-X-BACHA', prefix = 'NV'): Uint8Array {
  const t = (s: string) => `<c t="inlineStr"><is><t>${escapeXml(s)}</t></is></c>`
  let body = `<row r="1">${['Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ'].map(t).join('')}</row>`
  for (let i = 1; i <= rows; i++) body += `<row r="${i + 1}">${t(`${prefix}-${String(i).padStart(5, '0')}`)}${t(`Nguyễn Văn Thử ${i}`)}${t(`thu${i}@${prefix.toLowerCase()}.example`)}${t(agencyCode)}${t('Công chức')}</row>`
  return writeZip([...workbookParts(), deflated('xl/worksheets/sheet1.xml', `${sheetHead}${body}${sheetTail}`)])
}
