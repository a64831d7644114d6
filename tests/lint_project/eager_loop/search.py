import tensorflow as tf
from net import Net


def train(data, epochs):
    model = Net()
    optimizer = tf.keras.optimizers.SGD(0.1)
    for _ in range(epochs):
        for x, y in data:
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((model(x) - y) ** 2)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
    return model
