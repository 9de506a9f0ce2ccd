/**
 * Words of the dossiers beside the survey on the dashboard and the printable report (issue 20):
 * response rates, the figure weighted by the citizens served, and the plan's dossier targets, which
 * are counts of every dossier and so are met or not met, never "inconclusive".
 */
const vi = {
  'served.title': 'Hồ sơ thủ tục hành chính và tỷ lệ phản hồi',
  'served.counted':
    'Số liệu từ phần mềm một cửa: đếm toàn bộ hồ sơ, không phải khảo sát một mẫu, nên các chỉ tiêu về hồ sơ không có khoảng tin cậy: chỉ có Đạt hoặc Chưa đạt chỉ tiêu.',
  'served.none': 'Chưa có số liệu hồ sơ của phần mềm một cửa cho đơn vị và khoảng thời gian này, nên chưa tính được tỷ lệ phản hồi và các chỉ tiêu về hồ sơ.',
  'served.import': 'Nhập số liệu hồ sơ',
  'served.download': 'Tải số liệu hồ sơ (CSV)',
  'report.served.indicator': 'Chỉ tiêu về hồ sơ',
  'report.served.basis': 'Trên số hồ sơ',
  'report.served.target': 'Chỉ tiêu',
  'served.summary': '{d} hồ sơ đã giải quyết ({received} hồ sơ tiếp nhận); {n} phiếu khảo sát, tỷ lệ phản hồi {rate}%.',
  'served.weighted': 'Theo số hồ sơ (mỗi quầy, lĩnh vực tính theo số hồ sơ đã giải quyết): {value}, khoảng tin cậy 95% {ci} — {verdict}.',
  'served.weighted.none': 'Theo số hồ sơ: chưa tính được, vì các quầy có hồ sơ chưa có phiếu nào.',
  'served.answered': 'Theo phiếu trả lời (mỗi phiếu tính như nhau): {value}, khoảng tin cậy 95% {ci} — {verdict}.',
  'served.uncovered': '{share}% số hồ sơ ở các quầy, lĩnh vực chưa có phiếu: con số theo số hồ sơ không đại diện cho những người dân này.',
  'served.rate': 'Tỷ lệ phản hồi: {n} phiếu trên {d} hồ sơ đã giải quyết ({rate}%).',
  'served.neff': 'Cỡ mẫu hiệu dụng sau gia quyền: {neff}.',
  'served.says.insufficient': 'Chưa đủ cơ sở: cỡ mẫu hiệu dụng sau gia quyền là {neff}, cần ít nhất {min}',
  'served.heads.rule':
    'Con số lớn trên mỗi thẻ là con số theo số hồ sơ khi các quầy, lĩnh vực có phiếu chiếm từ {share}% số hồ sơ đã giải quyết trở lên và từ {share}% số phiếu trở lên đến từ các quầy đã có số liệu hồ sơ; nếu không, con số lớn là con số theo phiếu trả lời và con số theo số hồ sơ ghi bên dưới.',
  'served.target.at_least': 'Chỉ tiêu: từ {target}% trở lên',
  'served.target.all': 'Chỉ tiêu: 100%',
  'served.target.at_most': 'Chỉ tiêu: không quá {target} hồ sơ',
  'served.verdict.none': 'Chưa có số liệu',
  'served.dossiers': '{n} hồ sơ',
  'served.basis': '{part} trên {base} hồ sơ',
  'served.backlog.basis': 'Số tồn vào ngày cuối cùng có số liệu trong kỳ của mỗi quầy, lĩnh vực, kênh (không cộng dồn qua các ngày).',
  'served.nothing.owed': 'Không có hồ sơ quá hạn trong kỳ, nên không có hồ sơ nào phải xin lỗi.',
  'served.nothing.owed.value': 'Không có hồ sơ quá hạn',
  'served.gap': 'Chỉ số hài lòng theo Bộ chỉ số 766 tính từ hồ sơ quá hạn và phản ánh, kiến nghị: {score}%; người dân được hỏi (hài lòng về giải quyết TTHC): {asked}%.',
  'served.rates.title': 'Tỷ lệ phản hồi theo quầy ({n} quầy có số liệu hồ sơ, tỷ lệ thấp nhất trước)',
  'served.col.desk': 'Đơn vị · Quầy',
  'served.col.resolved': 'Hồ sơ đã giải quyết',
  'served.col.rate': 'Tỷ lệ phản hồi',
  'served.col.on_time': 'Đúng hạn',
  'served.without.responses': 'Quầy có hồ sơ nhưng chưa có phiếu nào: {n}',
  'served.without.responses.item': '{desk}: {d} hồ sơ, chưa có phiếu nào',
  'served.without.counts': 'Quầy có phiếu nhưng chưa có số liệu hồ sơ: {n}. Phiếu của các quầy này không được tính vào con số theo số hồ sơ.',
  'served.without.counts.item': '{desk}: {n} phiếu',
  'served.silent.item': '{name}: {d} hồ sơ, chưa có phiếu nào',
  'served.glossary.rate': 'Tỷ lệ phản hồi',
  'served.glossary.rate.text':
    'Số phiếu khảo sát chia cho số hồ sơ đã giải quyết trong cùng kỳ, cùng đơn vị, quầy, lĩnh vực (theo số liệu nhập từ phần mềm một cửa). Tỷ lệ thấp không làm sai chỉ số, nhưng cho biết người trả lời có thể khác những người không trả lời.',
  'served.glossary.weighted': 'Theo số hồ sơ',
  'served.glossary.weighted.text':
    'Chỉ số theo phiếu trả lời coi mỗi phiếu như nhau, nên quầy được quét mã nhiều nhất quyết định con số chung. Chỉ số theo số hồ sơ tính tỷ lệ của từng quầy, từng lĩnh vực rồi cộng lại theo tỷ trọng số hồ sơ đã giải quyết ở đó (hậu phân tầng). Khoảng tin cậy rộng hơn khi tỷ lệ phản hồi giữa các quầy chênh lệch nhiều. Hồ sơ ở quầy chưa có phiếu không được ước lượng thay: phần đó được ghi rõ.',
};

const en: Record<keyof typeof vi, string> = {
  'served.title': 'Administrative dossiers and response rates',
  'served.counted':
    'Figures from the one-stop software: every dossier is counted, not a sample surveyed, so the dossier targets have no confidence interval: they are met or not met.',
  'served.none': 'No dossier counts from the one-stop software for this unit and period yet, so response rates and the dossier targets cannot be computed.',
  'served.import': 'Import dossier counts',
  'served.download': 'Download dossier counts (CSV)',
  'report.served.indicator': 'Dossier target',
  'report.served.basis': 'Of the dossiers',
  'report.served.target': 'Target',
  'served.summary': '{d} dossiers resolved ({received} received); {n} survey responses, a response rate of {rate}%.',
  'served.weighted': 'Weighted by dossiers (each desk and field counts by the dossiers it resolved): {value}, 95% confidence interval {ci} — {verdict}.',
  'served.weighted.none': 'Weighted by dossiers: cannot be computed, as the desks with dossiers have no responses.',
  'served.answered': 'As answered (every response counts the same): {value}, 95% confidence interval {ci} — {verdict}.',
  'served.uncovered': '{share}% of the dossiers were at desks and fields with no response: the weighted figure does not represent those citizens.',
  'served.rate': 'Response rate: {n} responses for {d} dossiers resolved ({rate}%).',
  'served.neff': 'Effective sample size after weighting: {neff}.',
  'served.says.insufficient': 'Not enough to judge: the effective sample size after weighting is {neff}, at least {min} are needed',
  'served.heads.rule':
    'The large figure on each card is the one weighted by dossiers when the desks and fields with responses hold at least {share}% of the dossiers resolved and at least {share}% of the responses come from desks with dossier counts; otherwise the large figure is the one as answered, and the weighted one is written below it.',
  'served.target.at_least': 'Target: {target}% or more',
  'served.target.all': 'Target: 100%',
  'served.target.at_most': 'Target: at most {target} dossiers',
  'served.verdict.none': 'No data',
  'served.dossiers': '{n} dossiers',
  'served.basis': '{part} of {base} dossiers',
  'served.backlog.basis': 'The count on the last day of the period with figures, for each desk, field and channel (never added up over days).',
  'served.nothing.owed': 'No dossier was late in the period, so none needed an apology.',
  'served.nothing.owed.value': 'No late dossiers',
  'served.gap': 'Satisfaction by the QĐ 766 index, from late dossiers and complaints: {score}%; citizens asked (satisfaction with procedures): {asked}%.',
  'served.rates.title': 'Response rates by desk ({n} desks with dossier counts, lowest first)',
  'served.col.desk': 'Unit · Desk',
  'served.col.resolved': 'Dossiers resolved',
  'served.col.rate': 'Response rate',
  'served.col.on_time': 'On time',
  'served.without.responses': 'Desks with dossiers but no response: {n}',
  'served.without.responses.item': '{desk}: {d} dossiers, no response yet',
  'served.without.counts': 'Desks with responses but no dossier counts: {n}. Their responses do not count in the figures weighted by dossiers.',
  'served.without.counts.item': '{desk}: {n} responses',
  'served.silent.item': '{name}: {d} dossiers, no response yet',
  'served.glossary.rate': 'Response rate',
  'served.glossary.rate.text':
    'Survey responses divided by the dossiers resolved in the same period, unit, desk and field (from the counts imported from the one-stop software). A low rate does not make an index wrong, but it says those who answered may differ from those who did not.',
  'served.glossary.weighted': 'Weighted by dossiers',
  'served.glossary.weighted.text':
    'An index as answered counts every response the same, so the desk whose code is scanned most decides the overall figure. Weighted by dossiers, each desk and field has its own rate, added up by its share of the dossiers resolved (post-stratification). The interval is wider when response rates differ a lot between desks. Dossiers at desks with no response are not estimated: their share is stated.',
};

export const served = { vi, en };
