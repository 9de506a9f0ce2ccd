/**
 * The dossier upload form beside its route (admin/dossiers.ts): which button was pressed. The file
 * itself is read by multer and checked by server/dossiers/counts-file.ts.
 */
import { z } from 'zod';

export const DossierUploadSchema = z.object({
  /** "check" reads the file and writes nothing; "import" writes it whole or not at all. */
  intent: z.enum(['check', 'import']).default('check'),
});
