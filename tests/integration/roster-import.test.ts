// Roster import on the seeded Lào Cai tree: every kind of bad row with its line, BOM, semicolons,
// quoted fields, XLSX as Excel writes it, the preview counts, idempotent re-import, all-or-nothing
// (a failure in the second batch leaves nothing), concurrent imports, scope, email linking, and
// 10,000 rows.
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '~/modules/auth/permissions.server'
import { cancelImport, claimImport, createPreview, importRosterFile, sweepStuckImports } from '~/modules/roster/import.server'
import type { RowError } from '~/modules/roster/parse'
import { type AppError } from '~/utils/errors'
import { openSeededDatabase, type TestDatabase } from '../setup/test-database'

let t: TestDatabase
let admin: Actor
let manager: Actor
const db = () => t.db.prisma
const enc = (s: string) => new TextEncoder().encode(s)

async function makeUser(email: string, agencyCode = 'LC') {
  const agency = await db().agency.findUniqueOrThrow({ where: { code: agencyCode } })
  return db().user.create({ data: { fullName: email, email, kind: 'CIVIL_SERVANT', agencyId: agency.id } })
}

beforeAll(async () => {
  t = await openSeededDatabase({ demo: false })
  const a = await makeUser('admin@roster.example')
  await db().roleGrant.create({ data: { userId: a.id, role: 'ADMIN' } })
  admin = { id: a.id, roles: [{ role: 'ADMIN', agencyId: null }] }
  const bacHa = await db().agency.findUniqueOrThrow({ where: { code: 'LC-X-BACHA' } })
  const m = await makeUser('ql@roster.example', 'LC-X-BACHA')
  await db().roleGrant.create({ data: { userId: m.id, role: 'AGENCY_MANAGER', agencyId: bacHa.id } })
  manager = { id: m.id, roles: [{ role: 'AGENCY_MANAGER', agencyId: bacHa.id }] }
  // A commune merged in 2025, to name in a roster by its old code.
  const old = await db().agency.create({ data: { code: 'LC-X-CU', name: 'Xã Cũ', type: 'COMMUNE', parentId: bacHa.parentId } })
  await db().agency.update({ where: { id: old.id }, data: { status: 'MERGED', mergedIntoId: bacHa.id, mergedAt: new Date() } })
})

afterAll(async () => {
  await t?.dispose()
})

const errorsOf = (job: { errors: unknown }) => (job.errors as RowError[]).map((e) => [e.line, e.kind])

describe('the preview', () => {
  it('lists every bad row with its line and reason, and counts the rest; nothing is written', async () => {
    const csv = [
      'Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ',
      'BH-001,Nguyễn Văn An,an@roster.example,LC-X-BACHA,Chủ tịch', // 2 ok
      'BH-002,,,LC-X-BACHA,Công chức', // 3 empty name
      'BH-003,Lò Thị Bình,binh@@roster,LC-X-BACHA,Công chức', // 4 bad email
      'BH-004,Vàng A Chư,,LC-X-KHONGCO,Công chức', // 5 unknown agency
      'BH-005,Giàng Thị Dung,,LC-X-CU,Công chức', // 6 merged agency
      'BH-006,Hoàng Văn Em,,LC-X-BACHA,', // 7 ok, no job title
      'BH-006,Hoàng Văn Em,,LC-X-BACHA,Công chức', // 8 duplicate (with 7)
      ',Không Có Mã,,LC-X-BACHA,', // 9 empty code
      '"BH-007","Sùng, Thị Gấu",gau@roster.example,LC-X-BACHA,"Phó Chủ tịch, UBND"', // 10 ok, quoted commas
    ].join('\n')
    const job = await createPreview(db(), admin, { fileName: 'ds.csv', bytes: enc(csv) })
    expect(errorsOf(job)).toEqual([
      [3, 'emptyName'],
      [4, 'badEmail'],
      [5, 'unknownAgency'],
      [6, 'mergedAgency'],
      [7, 'duplicateCode'],
      [8, 'duplicateCode'],
      [9, 'emptyCode'],
    ])
    expect((job.errors as unknown as RowError[]).find((e) => e.kind === 'mergedAgency')!.detail).toContain('Xã Bắc Hà')
    expect(job).toMatchObject({ status: 'PREVIEW', totalRows: 9, newCount: 2, updatedCount: 0, unchangedCount: 0, errorCount: 7 })
    expect((job.rows as { fullName: string }[]).map((r) => r.fullName)).toEqual(['Nguyễn Văn An', 'Sùng, Thị Gấu'])
    expect(await db().staffRecord.count()).toBe(0)
  })

  it('reads a BOM, semicolons, English headers in another order, CRLF and NFD names', async () => {
    const csv = '\uFEFFAgency code;Full name;Staff code;Job title\r\nLC-X-BACHA;' + 'Lù Văn Hải'.normalize('NFD') + ';EN-1;Clerk\r\n'
    const job = await createPreview(db(), admin, { fileName: 'en.CSV', bytes: enc(csv) })
    expect(errorsOf(job)).toEqual([])
    expect(job.rows).toEqual([expect.objectContaining({ line: 2, staffCode: 'EN-1', fullName: 'Lù Văn Hải', jobTitle: 'Clerk', email: null })])
  })

  it('a file without the required columns, of the wrong type, or not UTF-8 is refused with a message', async () => {
    const refuse = (fileName: string, bytes: Uint8Array) => createPreview(db(), admin, { fileName, bytes }).catch((e: unknown) => e as AppError)
    expect((await refuse('a.csv', enc('Họ và tên,Email\nA,a@b.vn')) as AppError).message).toMatch(/Thiếu cột: mã cán bộ, mã đơn vị/)
    expect((await refuse('a.txt', enc('x')) as AppError).message).toBe('Chỉ nhận tệp .csv hoặc .xlsx.')
    expect((await refuse('a.xlsx', enc('Mã cán bộ,Họ và tên')) as AppError).message).toMatch(/không phải tệp Excel/)
    expect((await refuse('a.csv', new Uint8Array([0x4d, 0xe3, 0x20, 0x63, 0xe1, 0x6e])) as AppError).message).toMatch(/không phải văn bản UTF-8/)
    expect((await refuse('a.csv', enc('Mã cán bộ,Họ và tên,Mã đơn vị\n"BH-1,An,LC')) as AppError).message).toMatch(/Không đọc được tệp CSV/)
    expect((await refuse('a.csv', new Uint8Array(5 * 1024 * 1024 + 1)) as AppError).message).toMatch(/lớn quá 5 MB/)
  })

  it("a manager may import only into their own subtree, and not take another agency's records", async () => {
    await importRosterFile(db(), admin, { fileName: 'sapa.csv', bytes: enc('Mã cán bộ,Họ và tên,Mã đơn vị\nSP-1,Người Sa Pa,LC-P-SAPA') })
    const csv = 'Mã cán bộ,Họ và tên,Mã đơn vị\nBH-9,Người Bắc Hà,LC-X-BACHA\nBH-10,Người Sa Pa,LC-P-SAPA\nSP-1,Người Sa Pa,LC-X-BACHA\nBH-11,Học sinh,MAU-THCS-BACHA'
    const job = await createPreview(db(), manager, { fileName: 'ql.csv', bytes: enc(csv) })
    expect(errorsOf(job)).toEqual([
      [3, 'outOfScope'],
      [4, 'outOfScope'],
    ])
    expect(job.newCount).toBe(2) // Bắc Hà and the school below it
  })
})

describe('applying', () => {
  const FILE = [
    'Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ',
    'AP-1;Phạm Văn Một;mot@roster.example;LC-X-BACHA;Công chức',
    'AP-2;Trần Thị Hai;HAI@Roster.Example;LC-X-BACHA;Công chức',
    'AP-3;Đỗ Văn Ba;;LC-SNV;Chuyên viên',
  ].join('\n')

  it('writes the valid rows, proposes links to accounts by email, and a re-import of the same file changes nothing', async () => {
    const hai = await makeUser('hai@roster.example', 'LC')
    const first = await importRosterFile(db(), admin, { fileName: 'ap.csv', bytes: enc(FILE) })
    expect(first).toMatchObject({ status: 'DONE', newCount: 3, updatedCount: 0, unchangedCount: 0, processed: 3 })
    const rec = await db().staffRecord.findUniqueOrThrow({ where: { staffCode: 'AP-2' }, include: { agency: true } })
    // An existing account with the email is only PROPOSED the link (docs/decisions/013): it keeps its agency.
    expect(rec).toMatchObject({ email: 'hai@roster.example', userId: null, fullName: 'Trần Thị Hai' })
    expect((await db().user.findUniqueOrThrow({ where: { id: hai.id } })).agencyId).not.toBe(rec.agencyId)
    expect(await db().staffLinkProposal.findMany({ where: { userId: hai.id }, select: { staffId: true, status: true, proposedById: true } })).toEqual([
      { staffId: rec.id, status: 'PENDING', proposedById: admin.id },
    ])
    const before = await db().staffRecord.findMany({ where: { staffCode: { startsWith: 'AP-' } }, orderBy: { staffCode: 'asc' } })

    const again = await importRosterFile(db(), admin, { fileName: 'ap.csv', bytes: enc(FILE) })
    expect(again).toMatchObject({ status: 'DONE', newCount: 0, updatedCount: 0, unchangedCount: 3 })
    const after = await db().staffRecord.findMany({ where: { staffCode: { startsWith: 'AP-' } }, orderBy: { staffCode: 'asc' } })
    expect(after).toEqual(before) // not even updated_at moved

    const changed = await importRosterFile(db(), admin, { fileName: 'ap2.csv', bytes: enc(FILE.replace('Đỗ Văn Ba;;LC-SNV', 'Đỗ Văn Ba;;LC-STP')) })
    expect(changed).toMatchObject({ newCount: 0, updatedCount: 1, unchangedCount: 2 })
  })

  it('XLSX as Excel writes it: shared strings, numbers as staff codes, hyperlinked emails', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Danh sách')
    ws.addRow(['STT', 'Mã cán bộ', 'Họ và tên', 'Email', 'Mã đơn vị', 'Chức vụ'])
    ws.addRow([1, 1001, 'Vàng Thị Xuân', { text: 'xuan@roster.example', hyperlink: 'mailto:xuan@roster.example' }, 'LC-X-BACHA', 'Kế toán'])
    ws.addRow([2, 'XL-2', 'Lý Văn Yên', null, 'LC-X-BACHA', null])
    ws.addRow([])
    ws.addRow([3, 'XL-3', '', null, 'LC-X-BACHA', null])
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
    const preview = await createPreview(db(), admin, { fileName: 'ds.xlsx', bytes })
    expect(errorsOf(preview)).toEqual([[5, 'emptyName']]) // Excel's row number
    expect(preview.rows).toEqual([
      expect.objectContaining({ line: 2, staffCode: '1001', email: 'xuan@roster.example', jobTitle: 'Kế toán' }),
      expect.objectContaining({ line: 3, staffCode: 'XL-2', email: null, jobTitle: null }),
    ])
  })

  it('all or nothing: a failure in the second batch leaves no row of the first', async () => {
    const rows = ['Mã cán bộ,Họ và tên,Mã đơn vị']
    for (let i = 1; i <= 3000; i++) rows.push(`AON-${String(i).padStart(4, '0')},Người Thứ ${i},LC-X-BACHA`)
    // A trigger stands in for any failure of the database half-way (after the first 2,000 rows).
    await t.db.withConnection((sql) =>
      sql.exec(`CREATE FUNCTION fail_aon() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                  IF NEW.staff_code = 'AON-2500' THEN RAISE EXCEPTION 'hỏng giữa chừng'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER fail_aon BEFORE INSERT ON staff_record FOR EACH ROW EXECUTE FUNCTION fail_aon();`),
    )
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => errors.push(args)
    try {
      const job = await importRosterFile(db(), admin, { fileName: 'aon.csv', bytes: enc(rows.join('\n')) })
      expect(job.status).toBe('FAILED')
      expect(job.message).toBeTruthy()
    } finally {
      console.error = original
      await t.db.withConnection((sql) => sql.exec('DROP TRIGGER fail_aon ON staff_record; DROP FUNCTION fail_aon();'))
    }
    expect(errors).toHaveLength(1)
    expect(await db().staffRecord.count({ where: { staffCode: { startsWith: 'AON-' } } })).toBe(0)
  })

  it('a previewed import is applied once, however often or concurrently it is confirmed; two imports of one file write once', async () => {
    const csv = 'Mã cán bộ,Họ và tên,Mã đơn vị\nCC-1,Người Một,LC-X-BACHA\nCC-2,Người Hai,LC-X-BACHA'
    const p1 = await createPreview(db(), admin, { fileName: 'cc.csv', bytes: enc(csv) })
    const p2 = await createPreview(db(), admin, { fileName: 'cc.csv', bytes: enc(csv) })
    const claims = await Promise.all([claimImport(db(), admin, p1.id), claimImport(db(), admin, p1.id), claimImport(db(), admin, p2.id)])
    expect(claims.filter(Boolean)).toHaveLength(2) // p1 once, p2 once
    await Promise.all(claims.map((run) => run?.()))
    const jobs = await db().rosterImport.findMany({ where: { id: { in: [p1.id, p2.id] } } })
    expect(jobs.map((j) => j.status)).toEqual(['DONE', 'DONE'])
    expect(jobs.map((j) => j.newCount).sort()).toEqual([0, 2])
    expect(await db().staffRecord.count({ where: { staffCode: { startsWith: 'CC-' } } })).toBe(2)
    expect(await claimImport(db(), admin, p1.id)).toBeNull()
  })

  it('uses one connection: on the embedded database (one connection) it finishes, and a page read meanwhile waits for it, not 5 s for a timeout', async () => {
    const rows = ['Mã cán bộ,Họ và tên,Mã đơn vị']
    for (let i = 1; i <= 4500; i++) rows.push(`ONE-${String(i).padStart(4, '0')},Người Thứ ${i},LC-X-BACHA`)
    const preview = await createPreview(db(), admin, { fileName: 'one.csv', bytes: enc(rows.join('\n')) })
    const run = (await claimImport(db(), admin, preview.id))!
    const applying = run()
    // What a signed-in page does while the import runs: read from the database.
    const reads = Promise.all([1, 2, 3].map(() => db().agency.count()))
    await Promise.all([applying, reads])
    const job = await db().rosterImport.findUniqueOrThrow({ where: { id: preview.id } })
    expect(job).toMatchObject({ status: 'DONE', message: null, newCount: 4500, processed: 4500 })
    expect(await db().staffRecord.count({ where: { staffCode: { startsWith: 'ONE-' } } })).toBe(4500)
  })

  it('a cancel while applying keeps nothing of the file; the import stays cancelled', async () => {
    const preview = await createPreview(db(), admin, { fileName: 'cx.csv', bytes: enc('Mã cán bộ,Họ và tên,Mã đơn vị\nCX-1,Người Huỷ,LC-X-BACHA') })
    const run = (await claimImport(db(), admin, preview.id))!
    expect(await cancelImport(db(), admin, preview.id)).toBe(true)
    await run() // the work started in the background before the cancel reached it
    expect(await db().rosterImport.findUniqueOrThrow({ where: { id: preview.id } })).toMatchObject({ status: 'CANCELLED' })
    expect(await db().staffRecord.count({ where: { staffCode: 'CX-1' } })).toBe(0)
    expect(await cancelImport(db(), admin, preview.id)).toBe(false)
  })

  it('the sweep marks an import cut off by a stop as failed, and leaves one just claimed or still running', async () => {
    const make = async (code: string) => {
      const p = await createPreview(db(), admin, { fileName: `${code}.csv`, bytes: enc(`Mã cán bộ,Họ và tên,Mã đơn vị\n${code},Người ${code},LC-X-BACHA`) })
      await claimImport(db(), admin, p.id) // claimed, and then the process stopped: the work never ran
      return p.id
    }
    const old = await make('SW-1')
    const fresh = await make('SW-2')
    await db().rosterImport.update({ where: { id: old }, data: { startedAt: new Date(Date.now() - 10 * 60_000) } })
    if (t.url) {
      // On PostgreSQL a running import's transaction holds its lock, seen from another process.
      const running = await make('SW-3')
      await db().rosterImport.update({ where: { id: running }, data: { startedAt: new Date(Date.now() - 10 * 60_000) } })
      const pg = await import('pg')
      const holder = new pg.default.Client({ connectionString: t.url })
      await holder.connect()
      try {
        await holder.query('BEGIN')
        await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [80_260_001, running])
        expect(await sweepStuckImports(db())).toBe(1)
        expect((await db().rosterImport.findUniqueOrThrow({ where: { id: running } })).status).toBe('APPLYING')
      } finally {
        await holder.query('ROLLBACK')
        await holder.end()
      }
      expect(await sweepStuckImports(db())).toBe(1)
    } else {
      expect(await sweepStuckImports(db())).toBe(1)
    }
    expect(await db().rosterImport.findUniqueOrThrow({ where: { id: old } })).toMatchObject({ status: 'FAILED', message: 'interrupted' })
    expect((await db().rosterImport.findUniqueOrThrow({ where: { id: fresh } })).status).toBe('APPLYING')
    await db().rosterImport.update({ where: { id: fresh }, data: { status: 'CANCELLED' } })
  })

  it('imports 10,000 rows (preview and apply), with progress reaching the total', async () => {
    const rows = ['Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ']
    for (let i = 1; i <= 10_000; i++) rows.push(`BIG-${String(i).padStart(5, '0')},Nguyễn Văn Số ${i},so${i}@roster.example,LC-X-BACHA,Công chức`)
    const started = Date.now()
    const job = await importRosterFile(db(), admin, { fileName: 'big.csv', bytes: enc(rows.join('\n')) })
    const seconds = (Date.now() - started) / 1000
    expect(job).toMatchObject({ status: 'DONE', newCount: 10_000, processed: 10_000 })
    expect(await db().staffRecord.count({ where: { staffCode: { startsWith: 'BIG-' } } })).toBe(10_000)
    // Not a timing assertion (machines differ); the figure is printed for the closing note.
    process.stdout.write(`10,000-row import (preview + apply): ${seconds.toFixed(1)} s\n`)
  })
})
