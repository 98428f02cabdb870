import { Accordion, NumberInput, SimpleGrid, Text } from '@mantine/core';
import { LIMIT_FIELDS, type LimitsDraft } from './connection-draft';

/** Politeness and safety limits; blank fields use the defaults shown as placeholders. */
export function LimitsFields({ limits, errors, onChange }: { limits: LimitsDraft; errors: Record<string, string>; onChange(next: LimitsDraft): void }) {
  const changed = LIMIT_FIELDS.some(({ key }) => limits[key] !== '');
  return (
    <Accordion variant="contained" chevronPosition="left" defaultValue={changed || Object.keys(errors).some((k) => k.startsWith('limits.')) ? 'limits' : null}>
      <Accordion.Item value="limits">
        <Accordion.Control>
          Limits <Text span size="xs" c="dimmed">(rate, parallelism, page size, timeouts)</Text>
        </Accordion.Control>
        <Accordion.Panel>
          <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
            {LIMIT_FIELDS.map(({ key, label, fallback, min, max, decimals }) => (
              <NumberInput
                key={key}
                label={label}
                placeholder={`default ${fallback.toLocaleString()}`}
                value={limits[key]}
                min={min}
                max={max}
                decimalScale={decimals}
                allowNegative={false}
                thousandSeparator=","
                onChange={(value) => onChange({ ...limits, [key]: typeof value === 'number' ? value : '' })}
                error={errors[`limits.${key}`]}
              />
            ))}
          </SimpleGrid>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
