/** The column headers of a dense table (one `<th scope="col">` per name), shared by every page's tables. */
export function HeaderCells({ cols }: { cols: readonly string[] }): React.JSX.Element {
  return (
    <>
      {cols.map((c) => (
        <th key={c} scope="col">
          {c}
        </th>
      ))}
    </>
  );
}
