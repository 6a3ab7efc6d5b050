// The agencies of a picker as <option>s, indented by depth in the tree (no JavaScript needed).
export function AgencyOptions({ agencies, empty }: { agencies: { id: string; name: string; depth: number }[]; empty: string }) {
  return (
    <>
      <option value="">{empty}</option>
      {agencies.map((a) => (
        <option key={a.id} value={a.id}>
          {'\u00a0\u00a0'.repeat(a.depth)}
          {a.name}
        </option>
      ))}
    </>
  )
}
