import type { Pool } from 'pg';
import { personRow, type PersonInput } from './people';
import { withTransaction } from './pool';

/** A person served once, without a case, with the services they got: one transaction, no workflow. */
export function createOneOffRepository(pool: Pool) {
  return {
    async record(c: {
      contactId: string;
      region: string;
      hromada?: string;
      at: string;
      services: { category: string; description?: string }[];
      person?: PersonInput;
      recordedBy: string;
    }): Promise<boolean> {
      return withTransaction(pool, async (client) => {
        if (c.person) {
          const v = personRow(c.person);
          await client.query(
            `WITH added AS (
               INSERT INTO people (person_id, full_name, birth_date, phone, displacement_status, documents, name_key, phone_key, document_keys, created_by)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (person_id) DO NOTHING RETURNING person_id
             )
             INSERT INTO person_versions (person_id, version, full_name, birth_date, phone, displacement_status, documents, actor_id)
             SELECT person_id, 1, $2, $3, $4, $5, $6, $10 FROM added`,
            [
              c.person.personId,
              v.fullName,
              v.birthDate,
              v.phone,
              v.displacementStatus,
              JSON.stringify(v.documents),
              v.nameKey,
              v.phoneKey,
              v.documentKeys,
              c.recordedBy,
            ],
          );
        }
        const added = await client.query(
          `INSERT INTO one_off_contacts (contact_id, region, hromada, at, person_id, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (contact_id) DO NOTHING`,
          [c.contactId, c.region, c.hromada ?? null, c.at, c.person?.personId ?? null, c.recordedBy],
        );
        await client.query(
          `INSERT INTO case_services (case_id, service_id, kind, category, delivered_at, region, hromada)
           SELECT $1, 'one-off-' || x.n, 'one_off', x.category, $2, $3, $4
             FROM ROWS FROM (jsonb_to_recordset($5::jsonb) AS (category text)) WITH ORDINALITY AS x(category, n)
           ON CONFLICT (case_id, service_id) DO NOTHING`,
          [c.contactId, c.at, c.region, c.hromada ?? null, JSON.stringify(c.services)],
        );
        return (added.rowCount ?? 0) > 0;
      });
    },
  };
}
export type OneOffRepository = ReturnType<typeof createOneOffRepository>;
