/**
 * Words of the no-opinion share and the worst case beside every composite (issue 18, item 7;
 * analytics/no-opinion.ts), in both languages side by side: the line on the dashboard's cards and
 * the printable report, and the warning when a "met" verdict rests on the "Không ý kiến" answers.
 */
const vi = {
  'noopinion.line.index': '«Không ý kiến» chiếm {share}% câu trả lời các tiêu chí. Nếu coi tất cả là không hài lòng, chỉ số còn {worst}%.',
  'noopinion.line.rate': '«Không ý kiến» chiếm {share}% câu trả lời các tiêu chí. Nếu coi tất cả là không hài lòng, tỷ lệ còn {worst}%.',
  'noopinion.warning.index':
    'Lưu ý: nếu mọi câu trả lời «Không ý kiến» đều là không hài lòng thì chỉ số chỉ còn {worst}%, không vượt chỉ tiêu {target}%. Kết luận «Đạt chỉ tiêu» phụ thuộc vào các câu trả lời này.',
  'noopinion.warning.rate':
    'Lưu ý: nếu mọi câu trả lời «Không ý kiến» đều là không hài lòng thì tỷ lệ chỉ còn {worst}%, không vượt chỉ tiêu {target}%. Kết luận «Đạt chỉ tiêu» phụ thuộc vào các câu trả lời này.',
  'noopinion.cell': '«Không ý kiến» {share}%; nếu coi là không hài lòng: {worst}%',
  'dash.glossary.worst': 'Giá trị nếu «Không ý kiến» là không hài lòng',
  'dash.glossary.worst.text':
    'Chỉ số SIPAS và tỷ lệ hài lòng theo tiêu chí không tính các câu trả lời «Không ý kiến», nên người không hài lòng mà chọn «Không ý kiến» làm chỉ số cao lên. Bên cạnh mỗi chỉ số có tỷ lệ câu trả lời «Không ý kiến» và giá trị của chỉ số nếu mọi câu trả lời «Không ý kiến» (và mọi tiêu chí bỏ trống) đều là không hài lòng. Khi kết luận là «Đạt chỉ tiêu» mà giá trị này không vượt chỉ tiêu, thẻ chỉ số ghi rõ điều đó.',
};

const en: Record<keyof typeof vi, string> = {
  'noopinion.line.index': '“No opinion” is {share}% of criterion answers. Counting all of them as dissatisfied, the index would be {worst}%.',
  'noopinion.line.rate': '“No opinion” is {share}% of criterion answers. Counting all of them as dissatisfied, the rate would be {worst}%.',
  'noopinion.warning.index':
    'Note: if every “No opinion” answer were dissatisfied, the index would be only {worst}%, not above the {target}% target. The verdict “met” rests on those answers.',
  'noopinion.warning.rate':
    'Note: if every “No opinion” answer were dissatisfied, the rate would be only {worst}%, not above the {target}% target. The verdict “met” rests on those answers.',
  'noopinion.cell': '“No opinion” {share}%; if dissatisfied: {worst}%',
  'dash.glossary.worst': 'Value if “No opinion” is dissatisfied',
  'dash.glossary.worst.text':
    'The SIPAS index and the item rate leave “No opinion” answers out, so dissatisfied citizens who answer “No opinion” lift them. Beside each of them the share of “No opinion” answers is shown, with the value the index would have if every “No opinion” answer (and every criterion left blank) were dissatisfied. When the verdict is “met” but this value is not above the target, the card says so.',
};

export const noOpinion = { vi, en };
