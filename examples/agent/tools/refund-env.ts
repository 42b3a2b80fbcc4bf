// The refund assistant's tools for the eval: a small order database in memory, fresh for every run of a
// case (so repeats and cases never see each other's refunds). Referenced from the suite as
// `tools: file:tools/refund-env.ts#createEnvironment`. The payments API is naive on purpose — it refunds
// whatever it is asked to, twice if asked twice: following the policy is the agent's job, and the final
// state (`state()`) is what the end-state checks read.

interface Order {
  order_id: string;
  amount: number;
  days_since_delivery: number;
  refunded: boolean;
}

interface TestCase {
  id: string;
  vars: Record<string, unknown>;
}

const ORDERS: Order[] = [
  { order_id: 'A100', amount: 120, days_since_delivery: 5, refunded: false },
  { order_id: 'A200', amount: 80, days_since_delivery: 45, refunded: false },
  { order_id: 'A300', amount: 700, days_since_delivery: 3, refunded: false },
  { order_id: 'A400', amount: 50, days_since_delivery: 10, refunded: true },
];

function orderId(args: unknown): string {
  const id = (args as { order_id?: unknown }).order_id;
  if (typeof id !== 'string') throw new Error('order_id is required');
  return id;
}

export function createEnvironment(_testCase: TestCase) {
  const orders = new Map(ORDERS.map((o) => [o.order_id, { ...o }]));
  const refunds: { order_id: string; amount: number }[] = [];
  const escalations: { order_id: string; reason: string }[] = [];
  const find = (args: unknown): Order => {
    const order = orders.get(orderId(args));
    if (!order) throw new Error(`no order ${orderId(args)}`);
    return order;
  };
  return {
    tools: {
      lookup_order: (args: unknown) => ({ ...find(args) }),
      refund: (args: unknown) => {
        const order = find(args);
        const amount = (args as { amount: number }).amount;
        order.refunded = true;
        refunds.push({ order_id: order.order_id, amount });
        return { refund_id: `R-${refunds.length}`, order_id: order.order_id, amount };
      },
      escalate: (args: unknown) => {
        const order = find(args);
        escalations.push({ order_id: order.order_id, reason: (args as { reason: string }).reason });
        return { ticket: `T-${escalations.length}` };
      },
    },
    state: () => ({ refunds, escalations }),
  };
}
