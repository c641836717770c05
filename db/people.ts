import type { Pool } from 'pg';

export interface PersonInput {
  personId: string;
  role: 'client' | 'household_member';
  fullName: string;
  birthDate?: string;
  phone?: string;
  displacementStatus?: 'idp' | 'returnee' | 'host_community' | 'other';
  relation?: string;
}

/** People on a case. Their personal data lives only here (never in workflow histories). */
export function createPeopleRepository(pool: Pool) {
  return {
    /** Adds the people of a case; ids are derived from the case, so a retried request adds nobody twice. */
    async addToCase(caseId: string, people: PersonInput[], createdBy: string): Promise<void> {
      if (people.length === 0) return;
      await pool.query(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb)
             AS x("personId" uuid, role text, "fullName" text, "birthDate" date, phone text, "displacementStatus" text, relation text)
         ), added AS (
           INSERT INTO people (person_id, full_name, birth_date, phone, displacement_status, created_by)
           SELECT "personId", "fullName", "birthDate", phone, "displacementStatus", $3 FROM input
           ON CONFLICT (person_id) DO NOTHING
         )
         INSERT INTO case_people (case_id, person_id, role, relation)
         SELECT $1, "personId", role, relation FROM input
         ON CONFLICT (case_id, person_id) DO NOTHING`,
        [caseId, JSON.stringify(people), createdBy],
      );
    },
  };
}
export type PeopleRepository = ReturnType<typeof createPeopleRepository>;
