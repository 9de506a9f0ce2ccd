/**
 * Why: how an alert is said (issue 22), both languages side by side: its title, the sentence with
 * its numbers and how it closed. The page, the emails and the webhooks all use these
 * (server/presenters/alert.ts), so an official reads the same words wherever the alert reaches them.
 */
const vi = {
  'alerts.subject.desk': '{desk} · {unit}',
  'alerts.subject.field': 'Lĩnh vực {field} (toàn tỉnh)',
  'alerts.subject.unknown': 'Đối tượng số {id} (đã xóa)',
  'alerts.window.7d': 'Trong 7 ngày qua ({from}–{to})',
  'alerts.window.30d': 'Trong 30 ngày qua ({from}–{to})',
  'alerts.window.quarter': 'Từ đầu quý đến nay ({from}–{to})',
  'alerts.window.year': 'Từ đầu năm đến nay ({from}–{to})',
  'alerts.title.below_target': '{subject}: mức hài lòng dưới chỉ tiêu',
  'alerts.title.fall': '{subject}: mức hài lòng giảm rõ rệt',
  'alerts.title.suspect_run': '{subject}: {n} phiếu đáng ngờ chờ xem xét',
  'alerts.title.dossier_on_time': '{subject}: tỷ lệ hồ sơ đúng hạn dưới chỉ tiêu',
  'alerts.title.dossier_apology': '{subject}: có hồ sơ trễ hạn chưa xin lỗi',
  'alerts.sentence.below_target':
    '{window}, {yes} trên {n} người trả lời hài lòng ({value}), chỉ tiêu là trên {target}. Dù tính theo mức rộng nhất (khoảng tin cậy 99,9%), tỷ lệ hài lòng cũng không quá {bound}.',
  'alerts.sentence.fall':
    '{window}, {value} người trả lời hài lòng ({yes} trên {n}), giảm từ {before} ({beforeYes} trên {beforeN}) trong 30 ngày trước đó ({beforeFrom}–{beforeTo}). Mức giảm này khó là ngẫu nhiên, kể cả khi tính đến việc {compared} đơn vị được so sánh cùng lúc.',
  'alerts.sentence.suspect_run':
    '{window}, {n} phiếu tại quầy bị đánh dấu đáng ngờ (gửi dồn dập, cùng một máy, quá nhanh…) đang chờ xem xét; các phiếu này chưa được tính vào chỉ số cho đến khi được giữ lại.',
  'alerts.sentence.dossier_on_time': '{window}, {onTime} trên {n} hồ sơ được giải quyết đúng hạn ({value}), chỉ tiêu là từ {target} trở lên.',
  'alerts.sentence.dossier_apology':
    '{window}, {unapologised} hồ sơ trễ hạn chưa có thư xin lỗi (trễ hạn {late}, đã xin lỗi {apologised}); kế hoạch yêu cầu xin lỗi người dân đối với mọi hồ sơ trễ hạn.',
  'alerts.closed.recovered': 'Tự động đóng ngày {day}: tình trạng cần cảnh báo không còn nữa.',
  'alerts.closed.above': 'Tự động đóng ngày {day}: tỷ lệ hài lòng đã lên {value}, cao hơn chỉ tiêu {target}.',
  'alerts.closed.unsure': 'Tự động đóng ngày {day}: số liệu không còn đủ chắc chắn là dưới chỉ tiêu (tỷ lệ lúc đóng: {value}, chỉ tiêu trên {target}); nên tiếp tục theo dõi.',
  'alerts.closed.fall': 'Tự động đóng ngày {day}: không còn giảm rõ rệt so với 30 ngày trước đó (tỷ lệ lúc đóng: {value}).',
  'alerts.closed.gone': 'Tự động đóng ngày {day}: quầy hoặc đơn vị đã ngừng hoạt động.',
};

const en: Record<keyof typeof vi, string> = {
  'alerts.subject.desk': '{desk} · {unit}',
  'alerts.subject.field': 'Field {field} (whole province)',
  'alerts.subject.unknown': 'Subject no. {id} (deleted)',
  'alerts.window.7d': 'In the last 7 days ({from}–{to})',
  'alerts.window.30d': 'In the last 30 days ({from}–{to})',
  'alerts.window.quarter': 'Quarter to date ({from}–{to})',
  'alerts.window.year': 'Year to date ({from}–{to})',
  'alerts.title.below_target': '{subject}: satisfaction below target',
  'alerts.title.fall': '{subject}: satisfaction fell markedly',
  'alerts.title.suspect_run': '{subject}: {n} suspect responses awaiting review',
  'alerts.title.dossier_on_time': '{subject}: dossiers on time below target',
  'alerts.title.dossier_apology': '{subject}: late dossiers without an apology',
  'alerts.sentence.below_target':
    '{window}, {yes} of {n} respondents were satisfied ({value}); the target is above {target}. Even at the widest reading (99.9% confidence interval) satisfaction is at most {bound}.',
  'alerts.sentence.fall':
    '{window}, {value} of respondents were satisfied ({yes} of {n}), down from {before} ({beforeYes} of {beforeN}) in the 30 days before ({beforeFrom}–{beforeTo}). Such a fall is unlikely to be chance, even allowing for {compared} units compared at once.',
  'alerts.sentence.suspect_run':
    '{window}, {n} responses at this desk were flagged as suspect (sent in bursts, from one device, too fast…) and await review; they are not counted in the indices until kept.',
  'alerts.sentence.dossier_on_time': '{window}, {onTime} of {n} dossiers resolved were on time ({value}); the target is {target} or more.',
  'alerts.sentence.dossier_apology':
    '{window}, late dossiers without an apology letter: {unapologised} (late {late}, apologised {apologised}); the plan requires an apology for every late dossier.',
  'alerts.closed.recovered': 'Closed automatically on {day}: what called for the alert is over.',
  'alerts.closed.above': 'Closed automatically on {day}: satisfaction is up to {value}, above the {target} target.',
  'alerts.closed.unsure': 'Closed automatically on {day}: the data no longer show with confidence that it is under the target (at closing: {value}, target above {target}); keep an eye on it.',
  'alerts.closed.fall': 'Closed automatically on {day}: no longer a marked fall from the 30 days before (at closing: {value}).',
  'alerts.closed.gone': 'Closed automatically on {day}: the desk or unit is no longer active.',
};

export const alertWords = { vi, en };
