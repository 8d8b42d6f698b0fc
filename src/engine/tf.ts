// The one place that decides which tfjs build the project imports. tfjs-node(-gpu), when it
// loads, patches this same core instance, so every module imports tf from here.
export * as tf from '@tensorflow/tfjs';
