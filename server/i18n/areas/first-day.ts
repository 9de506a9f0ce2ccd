/**
 * Why: the words of the first day (issue 21, item 9) in both languages side by side: the
 * dashboard's "Bắt đầu" checklist while no response has come in yet, and the hints of the forms an
 * administrator fills in first (a unit's proposed code, a new desk's fields).
 */
const vi = {
  'start.title': 'Bắt đầu',
  'start.intro': 'Chưa có phiếu khảo sát nào. Bốn bước để người dân bắt đầu đánh giá:',
  'start.done': 'Đã xong',
  'start.todo': 'Chưa làm',
  'start.units': 'Kiểm tra danh sách đơn vị: thêm đơn vị còn thiếu hoặc nhập danh sách từ tệp',
  'start.units.fact': 'Hiện có {n} đơn vị.',
  'start.units.add': 'Thêm đơn vị',
  'start.desks': 'Thêm quầy tại các đơn vị (trên trang của từng đơn vị)',
  'start.desks.fact': 'Đang hoạt động: {n} quầy.',
  'start.posters': 'In áp phích mã QR và dán tại từng quầy (nút “In áp phích mã QR” trên trang của đơn vị)',
  'start.posters.fact': 'Bước này được đánh dấu khi phiếu đầu tiên về; khi đó danh sách này tự ẩn.',
  'start.targets': 'Đặt chỉ tiêu (không bắt buộc: đã có sẵn chỉ tiêu của Kế hoạch 2228/QĐ-UBND)',
  'start.go.units': 'Mở danh sách đơn vị',
  'start.go.targets': 'Mở trang chỉ tiêu',
  'start.manager': 'Chưa có phiếu nào tại các đơn vị của bạn. In áp phích mã QR của các quầy và dán tại quầy để người dân bắt đầu đánh giá.',
  'start.manager.link': 'Mở trang đơn vị để in áp phích',
  'start.viewer': 'Chưa có phiếu nào tại đơn vị của bạn.',
  'admin.unit.code.proposed.hint':
    'Đề xuất từ tên đơn vị (ví dụ Sở Tư pháp → so-tu-phap), sửa được; để trống thì dùng mã đề xuất. Xã, phường nên dùng mã theo danh mục đơn vị hành chính (ví dụ 16681). Không đổi được sau khi tạo.',
};

const en: Record<keyof typeof vi, string> = {
  'start.title': 'Getting started',
  'start.intro': 'No survey responses yet. Four steps before citizens can start rating:',
  'start.done': 'Done',
  'start.todo': 'To do',
  'start.units': 'Check the list of units: add missing units or import the list from a file',
  'start.units.fact': '{n} units so far.',
  'start.units.add': 'Add a unit',
  'start.desks': 'Add desks at the units (on each unit’s page)',
  'start.desks.fact': 'Active: {n} desks.',
  'start.posters': 'Print the QR code posters and put one up at each desk (the “Print QR posters” button on a unit’s page)',
  'start.posters.fact': 'This step is ticked when the first response arrives; this list then goes away.',
  'start.targets': 'Set targets (optional: the targets of plan 2228/QĐ-UBND are already there)',
  'start.go.units': 'Open the list of units',
  'start.go.targets': 'Open the targets page',
  'start.manager': 'No responses yet at your units. Print your desks’ QR code posters and put them up at the desks so citizens can start rating.',
  'start.manager.link': 'Open your unit’s page to print the posters',
  'start.viewer': 'No responses yet at your unit.',
  'admin.unit.code.proposed.hint':
    'Proposed from the unit’s name (e.g. Sở Tư pháp → so-tu-phap) and editable; left empty, the proposed code is used. Communes and wards should use the official administrative code (e.g. 16681). It cannot be changed later.',
};

export const firstDay = { vi, en };
