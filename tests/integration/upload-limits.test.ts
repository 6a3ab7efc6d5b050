// Hostile and honest uploads through the real roster-import route (the production build in this
// process): bombs get a Vietnamese 413/400 at once, write nothing (no import row), and the server
// process's memory stays under a bound, three at once too; one file per account at a time
// (across processes: the slot is a row); XLSX of each spreadsheet program previews with the
// sheet's row numbers; CSV previews with the file's line numbers after quoted line breaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '~/modules/auth/password.server'
import {
  deepXml,
  excelFlavour,
  googleSheetsFlavour,
  libreOfficeFlavour,
  manyEntries,
  sharedStringsBomb,
  sheetBomb,
  streamingWriterFlavour,
} from '../setup/xlsx-fixtures'
import { Browser, startTestServer, textOf, type TestServer } from '../setup/test-server'

let server: TestServer
const managers: Browser[] = []
const db = () => server.t.db.prisma
const PASSWORD = 'Quan-Ly-Thu-2026!'

// Made before the server answers anything: generating a bomb blocks this process for seconds, and
// a keep-alive connection idle across such a pause may be closed by the server as it is reused.
const BOMBS = {
  sheet: sheetBomb({ inflatedMb: 300 }),
  sheetHonestHeader: sheetBomb({ inflatedMb: 300, lie: false }),
  entries: manyEntries(45_000),
  deep: deepXml(1_000_000),
  sharedStrings: sharedStringsBomb(200),
}

beforeAll(async () => {
  server = await startTestServer()
  const agency = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
  const passwordHash = await hashPassword(PASSWORD)
  for (let i = 0; i < 3; i++) {
    const user = await db().user.create({ data: { email: `ql-tai-len-${i}@upload.example`, fullName: `Quản lý ${i}`, kind: 'CIVIL_SERVANT', agencyId: agency.id, passwordHash } })
    await db().roleGrant.create({ data: { userId: user.id, role: 'AGENCY_MANAGER', agencyId: agency.id } })
    const browser = new Browser(server.base)
    expect((await browser.signIn(user.email!, PASSWORD)).status).toBe(303)
    managers.push(browser)
  }
})

afterAll(async () => {
  await server?.close()
})

const upload = (who: Browser, name: string, bytes: Uint8Array) =>
  who.upload('/staff/import', { file: { name, bytes, type: name.endsWith('.csv') ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } })

/** Peak growth of this (the server's) process RSS in MB while `work` runs. */
async function rssGrowthMb<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const base = process.memoryUsage().rss
  let peak = base
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 2)
  try {
    const result = await work()
    return { result, growthMb: (Math.max(peak, process.memoryUsage().rss) - base) / 1024 / 1024 }
  } finally {
    clearInterval(timer)
  }
}

describe('bombs through POST /staff/import', () => {
  it.each([
    ['a 300 MB sheet in a file under 1 MB', () => BOMBS.sheet, 413, /nén bất thường/],
    ['a sheet whose header declares 300 MB', () => BOMBS.sheetHonestHeader, 413, /giải nén lớn quá/],
    ['45,000 entries', () => BOMBS.entries, 413, /quá nhiều phần/],
    ['XML nested a million deep', () => BOMBS.deep, 400, /lồng nhau quá sâu/],
    ['a 200 MB shared-strings table', () => BOMBS.sharedStrings, 413, /nén bất thường|giải nén lớn quá|quá nhiều chuỗi/],
  ])('%s: refused with a Vietnamese message, nothing written, memory bounded', async (_what, make, status, message) => {
    const bytes = make()
    const before = await db().rosterImport.count()
    const { result: response, growthMb } = await rssGrowthMb(() => upload(managers[0]!, 'danh-sach.xlsx', bytes))
    expect(response.status).toBe(status)
    expect(textOf(await response.text())).toMatch(message)
    expect(await db().rosterImport.count()).toBe(before)
    expect(await db().uploadSlot.count()).toBe(0)
    console.log(`${_what} (${Math.round(bytes.length / 1024)} KB): ${status}, RSS +${growthMb.toFixed(0)} MB`)
    expect(growthMb).toBeLessThan(150)
  })

  it('three bombs at once from three accounts: all refused, memory bounded, the app still answers', async () => {
    const bombs = [BOMBS.sheet, BOMBS.sheetHonestHeader, BOMBS.sharedStrings]
    const { result, growthMb } = await rssGrowthMb(() => Promise.all(bombs.map((b, i) => upload(managers[i]!, 'bom.xlsx', b))))
    expect(result.map((r) => r.status)).toEqual([413, 413, 413])
    console.log(`three bombs at once: RSS +${growthMb.toFixed(0)} MB`)
    expect(growthMb).toBeLessThan(200)
    expect((await managers[0]!.get('/staff/import')).status).toBe(200)
    expect(await db().rosterImport.count()).toBe(0)
  })
})

describe('one file per account at a time', () => {
  it('an account whose file is being read (in any process: the slot row) gets 409; an expired slot is taken over', async () => {
    const user = await db().user.findUniqueOrThrow({ where: { email: 'ql-tai-len-1@upload.example' } })
    await db().uploadSlot.create({ data: { userId: user.id, token: 'another-process', expiresAt: new Date(Date.now() + 60_000) } })
    const csv = new TextEncoder().encode('Mã cán bộ,Họ và tên,Mã đơn vị\nSL-1,Lò Văn Slot,LC-X-BACHA\n')
    const refused = await upload(managers[1]!, 'ds.csv', csv)
    expect(refused.status).toBe(409)
    expect(textOf(await refused.text())).toContain('Bạn đang có một tệp khác đang được đọc')
    // Another account is not held up.
    expect((await upload(managers[2]!, 'ds.csv', csv)).status).toBe(303)
    await db().uploadSlot.update({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect((await upload(managers[1]!, 'ds.csv', csv)).status).toBe(303)
    expect(await db().uploadSlot.count()).toBe(0)
  })
})

describe('previews with the file’s own line numbers', () => {
  it.each([
    ['Excel', excelFlavour()],
    ['LibreOffice', libreOfficeFlavour()],
    ['Google Sheets', googleSheetsFlavour()],
    ['a streaming writer', streamingWriterFlavour()],
  ])('XLSX from %s: the rows at the sheet’s row numbers (2, 3, 6), codes kept as typed', async (_who, bytes) => {
    const response = await upload(managers[2]!, 'danh-sach.xlsx', bytes)
    expect(response.status).toBe(303)
    const id = response.headers.get('location')!.split('/').pop()!
    const job = await db().rosterImport.findUniqueOrThrow({ where: { id } })
    expect(job.errors).toEqual([])
    expect((job.rows as { line: number; staffCode: string; fullName: string; email: string | null }[]).map((r) => [r.line, r.staffCode, r.fullName, r.email])).toEqual([
      [2, '001234', 'Nguyễn Văn An', 'an@roster.example'],
      [3, '5678', 'Lò Thị Bình', null],
      [6, 'BH-9', 'Sùng A Páo', 'pao@roster.example'],
    ])
  })

  it('CSV: a bad row after quoted cells with CRLF breaks is reported at its real line', async () => {
    const csv = [
      'Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ', // 1
      'CR-1,Nguyễn Văn An,,LC-X-BACHA,"Phó Chủ tịch\r\nUBND xã"', // 2–3
      'CR-2,"Lò Thị\r\nBình",,LC-X-BACHA,"a\r\nb\r\nc"', // 4–7
      'CR-3,Sùng A Páo,pao@@sai,LC-X-BACHA,Công chức', // 8: bad email
    ].join('\r\n')
    const response = await upload(managers[2]!, 'ds.csv', new TextEncoder().encode(csv))
    expect(response.status).toBe(303)
    const page = textOf(await (await managers[2]!.get(response.headers.get('location')!)).text())
    const job = await db().rosterImport.findUniqueOrThrow({ where: { id: response.headers.get('location')!.split('/').pop()! } })
    expect(job.errors).toEqual([{ line: 8, kind: 'badEmail', detail: 'pao@@sai' }])
    expect((job.rows as { line: number }[]).map((r) => r.line)).toEqual([2, 4])
    expect(page).toMatch(/8/)
  })
})
