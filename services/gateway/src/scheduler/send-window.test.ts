import { describe, expect, it } from "vitest";
import { SendWindow } from "./send-window.js";

describe("SendWindow.overLimit", () => {
  it("counts each message recorded while `cap` others were already within one second", () => {
    const window = new SendWindow(50, 1000, 25);
    for (let i = 0; i < 50; i++) window.record(i * 10, 1); // 50 messages in 0–490 ms
    expect(window.overLimit).toBe(0);
    window.record(600, 2); // the 51st and 52nd inside (−400, 600]
    expect(window.overLimit).toBe(2);
    // At 1000 ms the first send (t = 0) is out of (0, 1000]: 49 + 2 inside — still over.
    window.record(1000, 1);
    expect(window.overLimit).toBe(3);
    // At 1600 ms everything before 600 has left the second: 3 inside, fine.
    window.record(1600, 1);
    expect(window.overLimit).toBe(3);
  });

  it("stays 0 when every message waits for earliest(), as the scheduler sends", () => {
    const window = new SendWindow(50, 1000, 25);
    let now = 0;
    for (let i = 0; i < 500; i++) {
      now = window.earliest(now, 1);
      window.record(now, 1);
    }
    expect(window.overLimit).toBe(0);
  });
});
