// Ordinary paragraphs full of things that look like what the detectors find but are not: generated deterministically, and written by hand in other languages.
import { seededRandom } from '../../../packages/core/src/cache/vector-random.js';

// The same seeded generator as the vector index's, so that the corpus is the same on every run.
const random = seededRandom(20261202);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const base64 = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[int(0, 63)]).join('');

const date = () => `${int(2019, 2027)}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
const euDate = () => `${pad(int(1, 28))}.${pad(int(1, 12))}.${int(2019, 2027)}`;
const usDate = () => `${pad(int(1, 12))}/${pad(int(1, 28))}/${int(2019, 2027)}`;
const time = () => `${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}`;
const version = () => `${int(0, 24)}.${int(0, 30)}.${int(0, 99)}`;
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const price = () => pick([`$${int(1, 9)},${digits(3)}.${digits(2)}`, `€${int(1, 999)},${digits(2)}`, `£${int(1, 99)}.${digits(2)}`, `${int(1, 9)}.${digits(3)},${digits(2)} EUR`, `¥${int(100, 99999)}`]);
const order = () => pick([`ORD-${int(2019, 2027)}-${digits(6)}`, `INV ${digits(4)} ${digits(4)}`, `PO-${digits(8)}`, `#${digits(7)}`, `order ${digits(10)}`, `invoice no. ${digits(9)}`, `ticket ${digits(6)}`, `case ${digits(8)}`]);
const sku = () => pick([`SKU ${digits(3)}-${digits(4)}-${digits(2)}`, `part ${digits(3)}-${digits(3)}-${digits(4)}`, `model ${pick(['X', 'K', 'R'])}${digits(3)}-${digits(4)}`, `EAN ${digits(13)}`, `ISBN 978-${digits(1)}-${digits(3)}-${digits(5)}-${digits(1)}`]);
const sha = () => pick([hex(40), hex(64), `sha256:${hex(64)}`, `${hex(7)}`]);
const street = () => `${int(1, 999)} ${pick(['Maple', 'Harbor', 'Station', 'Mill', 'Church', 'Elm'])} ${pick(['Street', 'Avenue', 'Road', 'Lane'])}, ${pick(['Springfield', 'Portland', 'Leeds', 'Bremen', 'Lyon'])} ${digits(5)}`;

const TEMPLATES: ReadonlyArray<() => string> = [
  () => `The release ${version()} went out on ${date()} at ${time()} UTC; build ${digits(5)} replaced ${version()} after the regression reported on ${usDate()}.`,
  () => `Invoice ${order()} for ${price()} was issued on ${euDate()} and paid on ${date()}. Please quote ${order()} in any reply about the delivery.`,
  () => `Our warehouse lists ${sku()} and ${sku()} as out of stock until ${date()}; the replacement ${sku()} ships from ${street()}.`,
  () => `Request ${uuid()} failed at ${time()} with status 503; the retry, request ${uuid()}, succeeded after ${int(100, 9000)} ms on node ${int(1, 64)}.`,
  () => `Commit ${sha()} fixes the cache bug; it was reviewed in ${sha()} and tagged v${version()} on ${date()}.`,
  () => `The container image digest is ${sha()} and the previous one was ${sha()}; both were built from Dockerfile revision ${int(1, 300)}.`,
  () => "```ts\nconst total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);\nif (total > 1_000) applyDiscount(order, 0.05); // " + `${int(5, 20)}% over ${price()}` + "\n```",
  () => "```cpp\nstd::vector<int> values{1, 2, 3};\nfor (auto& v : values) std::cout << v << \"::\" << std::endl;\n```",
  () => "```rust\nuse std::collections::HashMap;\nlet mut counts: HashMap<String, usize> = HashMap::new();\n```",
  () => '```python\n@dataclass\nclass Point:\n    x: float = 0.0\n    y: float = 0.0\n\n@app.route("/items/<int:item_id>")\ndef item(item_id): return {"id": item_id}\n```',
  () => `The logo is embedded inline as data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA${base64(120)}== so the page works offline.`,
  () => `Install it with npm install @types/node@${version()} @scope/package@^${version()}; the peer range is >=${version()} <${int(25, 30)}.0.0.`,
  () => `The meeting moved from ${time().slice(0, 5)} to ${time().slice(0, 5)} on ${euDate()}; room ${int(100, 999)} on floor ${int(1, 12)}, extension ${digits(4)}.`,
  () => `Shipping to ${street()} takes ${int(2, 9)} days; the parcel weighs ${int(1, 30)}.${digits(1)} kg and costs ${price()} with tracking number ${digits(12)}.`,
  () => `Latency p50 was ${int(1, 99)}.${digits(1)} ms, p99 ${int(100, 999)}.${digits(1)} ms over ${int(1, 9)},${digits(3)},${digits(3)} requests between ${date()} and ${date()}.`,
  () => `The coordinates 51.${digits(4)}, -0.${digits(4)} mark the office; the ratio 3:2:1 and the time code 01:23:45:12 come from the video edit.`,
  () => `Version strings such as ${version()}.${int(0, 9)}, v${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(0, 9)} and ${version()}-rc.${int(1, 5)} are parsed by the semver helper.`,
  () => `The MAC address ${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)}:${hex(2)} belongs to the test rig; its serial number is SN${digits(10)}.`,
  () => `The account statement lists ${int(3, 12)} transactions totalling ${price()}; the largest, on ${usDate()}, was reference ${digits(10)}.`,
  () => `Set max_tokens to ${int(64, 4096)}, temperature to 0.${int(0, 9)} and top_p to 0.${int(80, 99)}; the model answered in ${int(1, 9)}.${digits(2)} s using ${int(100, 9999)} tokens.`,
  () => `Call the main line between 9:00 and 17:00, or write to the address printed on the invoice; the support ticket for ${order()} stays open for ${int(7, 30)} days.`,
  () => `The formula is E = mc^2, and the sequence 1, 1, 2, 3, 5, 8, 13, 21 grows by the golden ratio of about 1.618; the test used seed ${digits(9)}.`,
  () => `Remember to ignore the warnings printed by the linter about unused imports; the instructions in CONTRIBUTING.md explain how to silence them for generated files.`,
  () => `The API key goes in the OPENAI_API_KEY environment variable; never commit it. Example: export OPENAI_API_KEY=sk-your-key-here, then run npm start.`,
  () => `The setting developer mode in the browser lets you load an unpacked extension; the previous instructions for version ${version()} no longer apply to the new menu.`,
  () => `The phone field accepts numbers like extension ${digits(3)}; order numbers such as ${order()} and product codes such as ${sku()} are rejected by the validator.`,
];

const WRITTEN: readonly string[] = [
  'Die Lieferung vom 02.12.2026 umfasst 14 Kartons; die Rechnung Nr. 2026-004711 über 1.234,56 € ist bis zum 16.12.2026 zu begleichen.',
  'Der Zug nach München fährt um 14:35 Uhr von Gleis 7 ab; die Reservierung für Wagen 12, Platz 55 und 56, ist im Ticket vermerkt.',
  'Unser Büro in der Hauptstraße 12, 10115 Berlin, ist montags bis freitags von 8 bis 18 Uhr geöffnet; samstags nach Vereinbarung.',
  'Bitte beachten Sie, dass die Version 3.2.1 der Software nicht mehr unterstützt wird; ein Update auf 4.0 behebt die bekannten Fehler.',
  'La réunion du 3 mars 2026 à 10 h 30 a validé le budget de 12 500 € pour le projet; le compte rendu sera envoyé la semaine prochaine.',
  'Le colis numéro 4587 2210 9931 est parti de Lyon le 28/11/2026 et devrait arriver à Paris sous 48 heures ouvrées.',
  "Pour installer la bibliothèque, exécutez npm install puis lancez les tests; la documentation détaille chaque option et sa valeur par défaut.",
  'El pedido 2026-11-0042 incluye tres artículos por un total de 89,90 €; el envío gratuito se aplica a partir de 50 € de compra.',
  'La conferencia comenzará a las 09:00 en la sala 204; los ponentes presentarán los resultados del estudio de 2025 sobre energía solar.',
  'Il treno regionale delle 7:42 per Bologna è stato soppresso; il servizio sostitutivo parte alle 8:10 dal piazzale della stazione.',
  'O relatório anual de 2025 mostra um crescimento de 12,4% nas vendas e uma redução de 3,1% nos custos operacionais.',
  'De vergadering van 14 januari 2026 is verplaatst naar 21 januari om 15.00 uur; de agenda volgt per post.',
  'Spotkanie zespołu odbędzie się we wtorek o 11:00; proszę przygotować raport z ostatniego kwartału i plan na rok 2026.',
  'Поезд отправляется в 23:45 с третьего пути; стоимость билета в купе составляет 4 560 рублей, возврат возможен до отправления.',
  'Версия 2.4.1 исправляет ошибку в модуле отчётов; обновление рекомендуется установить до 15 декабря 2026 года.',
  '会議は2026年12月2日の午後3時から第2会議室で行われます。資料は前日までに共有フォルダにアップロードしてください。',
  '注文番号 2026-1202-0042 の商品は本日発送されました。お届けまでには3〜5営業日かかる予定です。',
  '本次版本 5.1.0 修复了登录页面的显示问题，并将默认超时时间从 30 秒调整为 60 秒。',
  '订单总额为 ¥1,280.00，预计于 12 月 5 日送达；如有问题请在工作时间联系客服。',
  '회의는 2026년 12월 3일 오후 2시에 본사 5층 회의실에서 열립니다. 참석 여부를 미리 알려 주세요.',
  'يبدأ الاجتماع في الساعة العاشرة صباحاً يوم الثلاثاء، ويرجى إحضار التقرير الشهري ونسخة من الميزانية المقترحة.',
  'تم شحن الطلب رقم 458213 اليوم، ومن المتوقع وصوله خلال ثلاثة أيام عمل إلى العنوان المسجل.',
  'הפגישה נדחתה ליום רביעי בשעה 16:00; נא לעדכן את היומן ולהביא את המסמכים הדרושים.',
  'बैठक सोमवार सुबह 10 बजे होगी; कृपया अपनी रिपोर्ट पहले से तैयार रखें और समय पर पहुँचें।',
  'Toplantı 12 Aralık 2026 Perşembe günü saat 14:00’te yapılacak; katılımcıların sunumlarını önceden göndermesi rica olunur.',
  'Kokous pidetään torstaina kello 13.00 neuvotteluhuoneessa B; esityslista lähetetään sähköpostilla edellisenä päivänä.',
  'Mötet flyttas till fredag kl. 09.30; fakturan på 4 250 kr ska vara betald senast den 31 december.',
  'Cuộc họp sẽ bắt đầu lúc 9 giờ sáng thứ Hai; vui lòng chuẩn bị báo cáo doanh thu quý ba năm 2026.',
  'การประชุมจะเริ่มเวลา 10.00 น. ในวันพุธ กรุณาเตรียมเอกสารและส่งรายงานก่อนวันอังคาร',
  'Η συνάντηση θα γίνει την Πέμπτη στις 11:00 στο γραφείο του τρίτου ορόφου· παρακαλούμε να φέρετε τα έγγραφα.',
  'Family 👨‍👩‍👧‍👦 and flags 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🇩🇪 render as single glyphs; the emoji sequences join with zero-width joiners by design.',
  'می‌خواهم فردا ساعت ده صبح به دفتر بیایم؛ لطفاً جلسه را در تقویم ثبت کنید.',
];

/** The generated paragraphs (each template many times, with new values) and the hand-written ones. */
export function lookAlikeParagraphs(perTemplate = 12): string[] {
  const generated = TEMPLATES.flatMap((template) => Array.from({ length: perTemplate }, () => template()));
  return [...generated, ...WRITTEN];
}
