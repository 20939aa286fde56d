package dev.mailprobe.health;

/** The states of a node, and of each of its protocols. */
public enum HealthState {
    /** The last probes succeeded (or no probe has run yet). */
    UP("up"),
    /** Failures seen, not yet enough to call it DOWN; still counts as up ({@code mailprobe_node_up} 1). */
    SUSPECT("suspect"),
    /** Enough failures: a DOWN event is open. */
    DOWN("down");

    private final String label;

    HealthState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
