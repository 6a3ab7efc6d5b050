// The administrative heading of a printed page (Decree 30/2020/NĐ-CP): the agency above and the
// agency on the left, the national name and motto on the right, the place and date under them.
export function AdminHeading({ parent, agency, nation, motto, dateLine }: { parent: string | null; agency: string; nation: string; motto: string; dateLine: string }) {
  return (
    <header className="print-admin-heading">
      <div>
        {parent ? <p>{parent.toLocaleUpperCase('vi')}</p> : null}
        <p>
          <strong>{agency.toLocaleUpperCase('vi')}</strong>
        </p>
      </div>
      <div>
        <p>
          <strong>{nation}</strong>
        </p>
        <p>
          <strong>
            <u>{motto}</u>
          </strong>
        </p>
        <p className="print-date">
          <em>{dateLine}</em>
        </p>
      </div>
    </header>
  )
}
