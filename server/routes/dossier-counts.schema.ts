/**
 * What the one-stop software sends to PUT /api/v1/dossier-counts, beside its route
 * (dossier-counts.ts): up to DOSSIER_BATCH_MAX_ROWS rows, each with the columns of the CSV file under
 * their English names (docs/dossiers.md). Counts may come as numbers or digit strings; the rules of a
 * row (whole, not negative, parts within their whole) are the file's, in server/dossiers/counts-file.ts.
 */
import { z } from 'zod';

const count = z.union([z.number(), z.string()]);

export const dossierCountsSchema = z.object({
  rows: z
    .array(
      z.object({
        day: z.string(),
        unit: z.string().min(1),
        desk: z.string().min(1),
        field: z.string().min(1),
        channel: z.union([z.string(), z.number()]),
        received: count,
        resolved: count,
        on_time: count,
        late: count,
        apologised: count,
        backlog: count,
        complaints: count,
      }),
    )
    .min(1),
});
