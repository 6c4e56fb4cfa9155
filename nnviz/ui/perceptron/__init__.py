"""The perceptron lab: Rosenblatt's rule one update at a time, and perceptron networks
(ANDed half-planes, ORed regions) — a window of its own beside the main one."""
