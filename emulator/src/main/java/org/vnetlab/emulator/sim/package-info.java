/**
 * The discrete-event core every emulated element stands on: one {@link org.vnetlab.emulator.sim.Lab} per
 * run holds the virtual clock and event queue ({@link org.vnetlab.emulator.sim.Scheduler}), the seeded
 * random streams, the element registry, capture taps, the counter registry and a kernel-log-like message
 * list. Nothing here reads the wall clock or keeps static mutable state, so the same seed and the same
 * calls give the same run.
 */
package org.vnetlab.emulator.sim;
