export type ServerHello = { version: string; serverTime: number };

export type ServerToClientEvents = {
  'server:hello': (hello: ServerHello) => void;
  'server:clock': (tick: { serverTime: number }) => void;
};

export type ClientToServerEvents = {
  'clock:watch': (ack: (ok: boolean) => void) => void;
};
