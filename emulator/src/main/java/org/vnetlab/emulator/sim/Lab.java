package org.vnetlab.emulator.sim;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One emulation run: the clock and event queue, the random streams derived from one seed, the registered
 * elements, capture taps, counters and the kernel log. Elements receive the lab explicitly when they are
 * built; there is no global state, so two labs never interfere. A lab is not thread-safe: build and run it
 * on one thread (separate labs may run in parallel).
 */
public final class Lab {
    private final long seed;
    private final Scheduler scheduler;
    private final KernelLog log;
    private final Counters counters = new Counters();
    private final Map<String, SeededRandom> streams = new HashMap<>();
    private final Map<String, Element> elements = new LinkedHashMap<>();
    private final List<CaptureSink> allInterfaces = new ArrayList<>();
    private final Map<String, List<CaptureSink>> perInterface = new HashMap<>();

    public Lab(long seed) {
        this(seed, Scheduler.DEFAULT_MAX_EVENTS_PER_RUN);
    }

    public Lab(long seed, long maxEventsPerRun) {
        this.seed = seed;
        this.scheduler = new Scheduler(maxEventsPerRun);
        this.log = new KernelLog(scheduler::now, KernelLog.DEFAULT_CAPACITY);
    }

    public long seed() { return seed; }

    public Scheduler scheduler() { return scheduler; }

    /** Current virtual time in nanoseconds. */
    public long now() { return scheduler.now(); }

    public KernelLog log() { return log; }

    public Counters counters() { return counters; }

    /**
     * The random stream called {@code name} (by convention the element's path): the same lab seed and name
     * always give the same draws, whatever other streams exist. Asking twice returns the same stream.
     */
    public SeededRandom random(String name) {
        return streams.computeIfAbsent(name, n -> new SeededRandom(SeededRandom.streamSeed(seed, n)));
    }

    /** Registers an element under its path; paths are unique. */
    public <E extends Element> E add(E element) {
        String path = element.path();
        if (elements.containsKey(path)) throw new IllegalArgumentException("duplicate element path '" + path + "'");
        elements.put(path, element);
        return element;
    }

    public void remove(Element element) {
        elements.remove(element.path(), element);
    }

    public Optional<Element> element(String path) { return Optional.ofNullable(elements.get(path)); }

    /** Registered elements of a type, in registration order. */
    public <T> List<T> elements(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Element e : elements.values()) if (type.isInstance(e)) out.add(type.cast(e));
        return out;
    }

    /** Taps every interface of the lab. */
    public void addCaptureSink(CaptureSink sink) {
        allInterfaces.add(sink);
    }

    /** Taps one interface, by path (the interface need not exist yet). */
    public void addCaptureSink(String interfacePath, CaptureSink sink) {
        perInterface.computeIfAbsent(interfacePath, p -> new ArrayList<>()).add(sink);
    }

    /** Called by interfaces for every frame they send or receive; cheap when nothing taps them. */
    public void capture(String interfacePath, CaptureSink.Direction direction, ByteBuf frame) {
        List<CaptureSink> own = perInterface.get(interfacePath);
        if (allInterfaces.isEmpty() && own == null) return;
        long t = scheduler.now();
        for (CaptureSink s : allInterfaces) s.frame(interfacePath, t, direction, frame.asReadOnly());
        if (own != null) for (CaptureSink s : own) s.frame(interfacePath, t, direction, frame.asReadOnly());
    }
}
