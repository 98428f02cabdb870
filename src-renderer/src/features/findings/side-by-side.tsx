import { Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import type { RecordSideDto } from '../../../../src-main/contract/dto';
import { IconNotEqual } from '../../components/icons';

interface Row {
  attribute: string;
  label: string;
  idp: string | null;
  app: string | null;
  /** Listed by the core as differing between the two sides. */
  differs: boolean;
  /** A record fact (ID, status), not a compared attribute. */
  fact: boolean;
}

function rowsOf(idp: RecordSideDto | null, app: RecordSideDto | null, differing: readonly string[]): Row[] {
  const facts: Row[] = [
    { attribute: 'id', label: 'ID', idp: idp?.id ?? null, app: app?.id ?? null, differs: false, fact: true },
    { attribute: 'status', label: 'Status', idp: idp?.status ?? null, app: app?.status ?? null, differs: false, fact: true },
  ];
  // The app's attribute order first (it follows the mapping), then anything only the IdP has.
  const names = [...new Set([...Object.keys(app?.attributes ?? {}), ...Object.keys(idp?.attributes ?? {})])];
  const attributes = names.map((name) => ({
    attribute: name,
    label: name,
    idp: idp?.attributes[name] ?? null,
    app: app?.attributes[name] ?? null,
    differs: differing.includes(name),
    fact: false,
  }));
  return [...facts, ...attributes];
}

function Cell({ value, missingSide }: { value: string | null; missingSide: boolean }) {
  if (missingSide) return <Text c="dimmed" size="sm" fs="italic">no record</Text>;
  if (value === null) return <Text c="dimmed" size="sm">—</Text>;
  return (
    <Text size="sm" className="dl-break">
      {value}
    </Text>
  );
}

/**
 * The IdP record and the app record side by side. Differing attributes are marked three ways:
 * a tinted row, a ≠ icon, and the words "differs" for screen readers; `data-differs` is for tests.
 */
export function SideBySide({
  idp,
  app,
  differing,
  idpName,
  appName,
  focusAttribute,
}: {
  idp: RecordSideDto | null;
  app: RecordSideDto | null;
  differing: readonly string[];
  idpName: string;
  appName: string;
  focusAttribute: string | null;
}) {
  const rows = rowsOf(idp, app, differing);
  return (
    <Table withTableBorder withColumnBorders verticalSpacing={6} layout="fixed" data-testid="detail-side-by-side">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="30%">Attribute</Table.Th>
          <Table.Th>IdP · {idpName}</Table.Th>
          <Table.Th>App · {appName}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr
            key={row.attribute}
            className={row.differs ? 'dl-differs' : row.fact ? 'dl-fact' : undefined}
            data-testid="detail-attr-row"
            data-attribute={row.attribute}
            data-differs={row.differs}
            data-finding-attribute={row.attribute === focusAttribute || undefined}
          >
            <Table.Td>
              <div className="dl-attr-name">
                {row.differs && <IconNotEqual size={16} className="dl-differs-icon" />}
                <Text size="sm" ff={row.fact ? undefined : 'monospace'} fw={row.differs ? 600 : undefined} className="dl-break" title={row.attribute}>
                  {row.label}
                </Text>
                {row.differs && <VisuallyHidden>differs</VisuallyHidden>}
                {row.attribute === focusAttribute && (
                  <Badge size="xs" variant="outline" color="red" tt="none" className="dl-no-shrink">
                    this finding
                  </Badge>
                )}
              </div>
            </Table.Td>
            <Table.Td>
              <Cell value={row.idp} missingSide={idp === null} />
            </Table.Td>
            <Table.Td>
              <Cell value={row.app} missingSide={app === null} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
