"""The executable world the tools run against: ids, values, and the simulator."""
